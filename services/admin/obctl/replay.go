package obctl

import (
	"context"
	"errors"
	"fmt"

	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
)

func (c *cli) replay(ctx context.Context, args []string) error {
	fs := c.flags("replay")
	req := &adminv1.ReplayRequest{}
	fs.StringVar(&req.Stream, "stream", "", "JST_RAW (re-map) or CANON (re-post)")
	fs.Uint64Var(&req.FromSeq, "from-seq", 0, "first sequence")
	fs.Uint64Var(&req.ToSeq, "to-seq", 0, "last sequence (default: the stream's last)")
	fs.StringVar(&req.Subject, "subject", "", "only subjects matching, such as canon.order.>")
	fs.BoolVar(&req.DryRun, "dry-run", false, "count what would be replayed")
	fs.BoolVar(&req.Force, "force", false, "CANON: re-verify posted documents against Kingdee")
	fs.BoolVar(&req.AllVersions, "all-versions", false,
		"replay older versions of a document too (they may undo later fixes)")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if req.Stream == "" || req.FromSeq == 0 {
		return usagef("replay needs --stream and --from-seq (see obctl status for sequences)")
	}
	closeConn, err := c.connect()
	if err != nil {
		return err
	}
	defer closeConn()

	stream, err := c.client.Replay(ctx, req)
	if err != nil {
		return err
	}
	bar := &progress{w: c.io.Stderr, label: "replay"}
	last, err := receive(stream, bar, func(p *adminv1.ReplayResponse) {
		bar.label = p.GetId()
		bar.draw(p.GetScanned(), p.GetTotal(), fmt.Sprintf("at seq %d", p.GetLastSeq()))
	})
	if err != nil {
		return err
	}
	if last == nil {
		return errors.New("the server ended the replay without a report; see obctl audit")
	}
	if c.g.output == "json" {
		return c.printJSON(last)
	}
	n := last.GetPublished()
	verb := "published again"
	if req.DryRun {
		n, verb = last.GetScanned()-last.GetSuperseded(), "would be published again (dry run)"
	}
	fmt.Fprintf(c.io.Stdout, "%s: %d messages of %s %d..%d %s; %d older versions left out\n",
		last.GetId(), n, req.Stream, req.FromSeq, last.GetLastSeq(), verb, last.GetSuperseded())
	t := newTable(c.io.Stdout, "SUBJECT", "MESSAGES")
	for _, s := range last.GetSubjects() {
		t.row(s.GetName(), s.GetCount())
	}
	t.flush()
	return nil
}
