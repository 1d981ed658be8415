package obctl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"google.golang.org/protobuf/types/known/timestamppb"
)

func (c *cli) backfill(ctx context.Context, args []string) error {
	fs := c.flags("backfill")
	req := &adminv1.BackfillRequest{}
	fs.StringVar(&req.Kind, "kind", "", "order or aftersale (default both)")
	fs.StringVar(&req.ShopId, "shop", "", "JST shop id (default every shop)")
	from := fs.String("from", "", "start of the modified-time range")
	to := fs.String("to", "", "end of the range")
	fs.BoolVar(&req.Follow, "follow", false, "show progress until done")
	if len(args) > 0 && args[0] == "status" {
		args = args[1:]
	}
	if err := c.parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 1:
		req.Id = fs.Arg(0)
	case fs.NArg() > 1:
		return usagef("backfill status takes one id")
	default:
		var err error
		req.From, req.To, err = c.timeRange(*from, *to,
			"backfill needs --from and --to, or status <id>")
		if err != nil {
			return err
		}
	}
	closeConn, err := c.connect()
	if err != nil {
		return err
	}
	defer closeConn()

	stream, err := c.client.Backfill(ctx, req)
	if err != nil {
		return err
	}
	bar := &progress{w: c.io.Stderr, label: "backfill"}
	last, err := receive(stream, bar, func(p *adminv1.BackfillResponse) {
		bar.label = p.GetId()
		bar.draw(uint64(p.GetDocuments()), 0, "documents, read to "+ts(p.GetPosition()))
	})
	if err != nil {
		return err
	}
	if last == nil {
		return errors.New("the poller sent no status")
	}
	if c.g.output == "json" {
		return c.printJSON(last)
	}
	state := "running"
	switch {
	case last.GetError() != "":
		state = "stopped: " + last.GetError()
	case last.GetDone():
		state = "done"
	}
	fmt.Fprintf(c.io.Stdout, "backfill %s: %s, %d pages, %d documents, read to %s\n",
		last.GetId(), state, last.GetPages(), last.GetDocuments(), ts(last.GetPosition()))
	if !last.GetDone() && !req.Follow {
		fmt.Fprintf(c.io.Stdout, "follow it with: obctl backfill status %s --follow\n", last.GetId())
	}
	return nil
}

func (c *cli) reconcile(ctx context.Context, args []string) error {
	fs := c.flags("reconcile")
	from := fs.String("from", "", "start of the range")
	to := fs.String("to", "", "end of the range")
	day := fs.String("date", "", "one Beijing day, such as 2026-03-01")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	req := &adminv1.ReconcileRequest{}
	if *day != "" {
		d, err := time.ParseInLocation("2006-01-02", *day, beijing)
		if err != nil {
			return usagef("--date %q: want a day such as 2026-03-01", *day)
		}
		req.From, req.To = timestamppb.New(d), timestamppb.New(d.Add(24*time.Hour-time.Second))
	} else {
		var err error
		req.From, req.To, err = c.timeRange(*from, *to,
			"reconcile needs --from and --to, or --date")
		if err != nil {
			return err
		}
	}
	closeConn, err := c.connect()
	if err != nil {
		return err
	}
	defer closeConn()
	fmt.Fprintln(c.io.Stderr, "reconciling: reading JST, the ledger and Kingdee…")

	rep, err := c.client.Reconcile(ctx, req)
	if err != nil {
		return err
	}
	if c.g.output == "json" {
		return c.printJSON(rep)
	}
	w := c.io.Stdout
	fmt.Fprintf(w, "reconcile %s .. %s: %d expected, %d found in Kingdee\n",
		ts(rep.GetFrom()), ts(rep.GetTo()), rep.GetExpected(), rep.GetFound())
	fmt.Fprintf(w, "missing %d, extra %d, duplicated %d, differing %d\n",
		len(rep.GetMissing()), len(rep.GetExtra()), len(rep.GetDuplicated()), len(rep.GetDiffering()))
	t := newTable(w, "KIND", "DOC", "FORM", "BILL", "DETAIL")
	for _, g := range []struct {
		kind  string
		diffs []*adminv1.Difference
	}{
		{"missing", rep.GetMissing()}, {"extra", rep.GetExtra()},
		{"duplicated", rep.GetDuplicated()}, {"differing", rep.GetDiffering()},
	} {
		for _, d := range g.diffs {
			t.row(g.kind, dash(d.GetDocKey()), dash(d.GetForm()), dash(d.GetBillNo()), d.GetDetail())
		}
	}
	t.flush()
	return nil
}

func (c *cli) preview(ctx context.Context, args []string) error {
	fs := c.flags("preview")
	req := &adminv1.PreviewRequest{}
	file := fs.String("file", "", "a raw JST document as JSON (- for standard input)")
	fs.StringVar(&req.Kind, "kind", "", "order or aftersale, with --file")
	fs.Uint64Var(&req.RawSeq, "seq", 0, "the JST_RAW sequence of the document")
	fs.StringVar(&req.DocKey, "key", "", "the latest document of a key, such as order.123")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if *file != "" {
		var err error
		if *file == "-" {
			req.Raw, err = io.ReadAll(c.io.Stdin)
		} else {
			req.Raw, err = os.ReadFile(*file)
		}
		if err != nil {
			return fmt.Errorf("--file: %w", err)
		}
	}
	ctx, done, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer done()

	res, err := c.client.Preview(ctx, req)
	if err != nil {
		return err
	}
	if c.g.output == "json" {
		return c.printJSON(res)
	}
	w := c.io.Stdout
	fmt.Fprintf(w, "document:  %s (rules %s)\n", dash(res.GetDocKey()), res.GetRulesVersion())
	fmt.Fprintf(w, "decision:  %s %s\n", res.GetDecision(), res.GetRule())
	if res.GetError() != "" {
		fmt.Fprintf(w, "error:     %s\n", res.GetError())
	}
	if res.GetForm() != "" {
		fmt.Fprintf(w, "bill:      %s %s\n\nKingdee model:\n%s\n",
			res.GetForm(), res.GetBillNo(), res.GetBill())
	}
	if res.GetCanonical() != "" {
		fmt.Fprintf(w, "\ncanonical document:\n%s\n", res.GetCanonical())
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
