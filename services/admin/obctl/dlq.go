package obctl

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"google.golang.org/protobuf/proto"
)

func (c *cli) dlq(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("dlq needs list, show, redrive or purge")
	}
	switch args[0] {
	case "list", "ls":
		return c.dlqList(ctx, args[1:])
	case "show":
		return c.dlqShow(ctx, args[1:])
	case "redrive":
		return c.dlqRedrive(ctx, args[1:])
	case "purge":
		return c.dlqPurge(ctx, args[1:])
	}
	return usagef("unknown dlq command %q: want list, show, redrive or purge", args[0])
}

// filterFlags registers the dead-letter filter flags.
type filterFlags struct {
	stage, reason, kind, since, until *string
}

func addFilter(fs *flag.FlagSet) filterFlags {
	return filterFlags{
		stage:  fs.String("stage", "", "poller, transformer or writer"),
		reason: fs.String("reason", "", "reason, such as unknown_shop"),
		kind:   fs.String("kind", "", "order or aftersale"),
		since:  fs.String("since", "", "dead-lettered at or after"),
		until:  fs.String("until", "", "dead-lettered at or before"),
	}
}

// filter builds the request filter; positional arguments are sequences.
func (f filterFlags) filter(c *cli, pos []string) (*adminv1.DeadLetterFilter, error) {
	out := &adminv1.DeadLetterFilter{Stage: *f.stage, Reason: *f.reason, Kind: *f.kind}
	var err error
	if out.Since, err = c.optTime("since", *f.since); err != nil {
		return nil, err
	}
	if out.Until, err = c.optTime("until", *f.until); err != nil {
		return nil, err
	}
	for _, p := range pos {
		for _, s := range strings.Split(p, ",") {
			n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
			if err != nil || n == 0 {
				return nil, usagef("%q is not a DLQ sequence: see obctl dlq list", s)
			}
			out.Seqs = append(out.Seqs, n)
		}
	}
	return out, nil
}

func (c *cli) dlqList(ctx context.Context, args []string) error {
	fs := c.flags("dlq list")
	ff := addFilter(fs)
	limit := fs.Uint("limit", 100, "most dead letters listed")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	filter, err := ff.filter(c, fs.Args())
	if err != nil {
		return err
	}
	ctx, done, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer done()

	res, err := c.client.ListDeadLetters(ctx, &adminv1.ListDeadLettersRequest{
		Filter: filter, Limit: uint32(*limit),
	})
	if err != nil {
		return err
	}
	if c.g.output == "json" {
		return c.printJSON(res)
	}
	t := newTable(c.io.Stdout, "SEQ", "FAILED AT", "STAGE", "REASON", "DOC", "ATTEMPTS", "ERROR")
	for _, d := range res.GetDeadLetters() {
		t.row(d.GetSeq(), ts(d.GetFailedAt()), d.GetStage(), d.GetReason(), d.GetDocKey(),
			d.GetAttempts(), clip(d.GetError(), 80))
	}
	t.flush()
	if res.GetMore() {
		fmt.Fprintf(c.io.Stdout, "(more than %d: narrow the filter or raise --limit)\n", *limit)
	}
	return nil
}

func (c *cli) dlqShow(ctx context.Context, args []string) error {
	fs := c.flags("dlq show")
	reveal := fs.Bool("reveal", false, "show buyer fields unmasked (audited)")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("dlq show needs one sequence")
	}
	seq, err := strconv.ParseUint(fs.Arg(0), 10, 64)
	if err != nil {
		return usagef("%q is not a DLQ sequence", fs.Arg(0))
	}
	ctx, done, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer done()

	res, err := c.client.GetDeadLetter(ctx, &adminv1.GetDeadLetterRequest{Seq: seq, Reveal: *reveal})
	if err != nil {
		return err
	}
	if c.g.output == "json" {
		return c.printJSON(res)
	}
	d, w := res.GetSummary(), c.io.Stdout
	fmt.Fprintf(w, "dead letter %d on %s\n", d.GetSeq(), d.GetSubject())
	fmt.Fprintf(w, "document:  %s\n", d.GetDocKey())
	fmt.Fprintf(w, "stage:     %s (%s), reason %s, %d attempts, failed %s\n",
		d.GetStage(), d.GetErrorClass(), d.GetReason(), d.GetAttempts(), ts(d.GetFailedAt()))
	fmt.Fprintf(w, "origin:    %s seq %d on %s\n", d.GetOriginStream(), d.GetOriginSeq(),
		d.GetOriginSubject())
	fmt.Fprintf(w, "message:   %s\n\nheaders:\n", d.GetError())
	for _, h := range res.GetHeaders() {
		fmt.Fprintf(w, "  %s: %s\n", h.GetName(), clip(h.GetValue(), 200))
	}
	fmt.Fprintf(w, "\npayload:\n%s\n", res.GetPayload())
	return nil
}

func (c *cli) dlqRedrive(ctx context.Context, args []string) error {
	fs := c.flags("dlq redrive")
	ff := addFilter(fs)
	all := fs.Bool("all", false, "redrive every dead letter")
	dry := fs.Bool("dry-run", false, "count what would be redriven")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	filter, err := ff.filter(c, fs.Args())
	if err != nil {
		return err
	}
	closeConn, err := c.connect()
	if err != nil {
		return err
	}
	defer closeConn()

	stream, err := c.client.RedriveDeadLetters(ctx, &adminv1.RedriveDeadLettersRequest{
		Filter: filter, All: *all, DryRun: *dry,
	})
	if err != nil {
		return err
	}
	bar := &progress{w: c.io.Stderr, label: "redrive"}
	last, err := receive(stream, bar, func(p *adminv1.RedriveDeadLettersResponse) {
		bar.label = p.GetId()
		bar.draw(p.GetRedriven()+p.GetSkipped(), p.GetTotal(), "")
	})
	if err != nil {
		return err
	}
	if last == nil {
		return errors.New("the server ended the redrive without a report; see obctl audit")
	}
	if c.g.output == "json" {
		return c.printJSON(last)
	}
	verb := "redriven"
	if *dry {
		verb = "would be redriven (dry run)"
	}
	fmt.Fprintf(c.io.Stdout, "%s: %d %s, %d skipped\n", last.GetId(), last.GetRedriven(),
		verb, last.GetSkipped())
	for _, r := range last.GetSkippedReasons() {
		fmt.Fprintln(c.io.Stdout, "  skipped", r)
	}
	return nil
}

func (c *cli) dlqPurge(ctx context.Context, args []string) error {
	fs := c.flags("dlq purge")
	ff := addFilter(fs)
	all := fs.Bool("all", false, "purge every dead letter")
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	filter, err := ff.filter(c, fs.Args())
	if err != nil {
		return err
	}
	if !*all && proto.Equal(filter, &adminv1.DeadLetterFilter{}) {
		return usagef("name what to purge: sequences, --stage, --reason, --kind, " +
			"--since/--until, or --all")
	}
	ctx, done, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer done()

	if !*yes {
		n, more, err := c.countDeadLetters(ctx, filter)
		if err != nil {
			return err
		}
		if n == 0 {
			fmt.Fprintln(c.io.Stdout, "no dead letter passes the filter; nothing to purge")
			return nil
		}
		what := strconv.Itoa(n)
		if more {
			what = "more than " + what
		}
		if !c.confirm(fmt.Sprintf("purge %s dead letters for good?", what)) {
			return errors.New("purge cancelled; nothing was deleted")
		}
	}
	res, err := c.client.PurgeDeadLetters(ctx, &adminv1.PurgeDeadLettersRequest{
		Filter: filter, All: *all, Confirm: true,
	})
	if err != nil {
		return err
	}
	if c.g.output == "json" {
		return c.printJSON(res)
	}
	fmt.Fprintf(c.io.Stdout, "purged %d dead letters\n", res.GetPurged())
	return nil
}

// countDeadLetters counts, up to a bound, the dead letters of a filter.
func (c *cli) countDeadLetters(
	ctx context.Context,
	f *adminv1.DeadLetterFilter,
) (int, bool, error) {
	req := &adminv1.ListDeadLettersRequest{Filter: f, Limit: 10000}
	res, err := c.client.ListDeadLetters(ctx, req)
	if err != nil {
		return 0, false, err
	}
	return len(res.GetDeadLetters()), res.GetMore(), nil
}

// confirm asks a yes/no question on Stderr and reads the answer.
func (c *cli) confirm(question string) bool {
	fmt.Fprintf(c.io.Stderr, "%s type yes to go on: ", question)
	line, _ := bufio.NewReader(c.io.Stdin).ReadString('\n')
	return strings.TrimSpace(strings.ToLower(line)) == "yes"
}

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
