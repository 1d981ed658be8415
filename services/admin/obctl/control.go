package obctl

import (
	"context"
	"fmt"

	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
)

func (c *cli) pause(ctx context.Context, args []string) error {
	return c.setPause(ctx, "pause", true, args)
}

func (c *cli) resume(ctx context.Context, args []string) error {
	return c.setPause(ctx, "resume", false, args)
}

func (c *cli) setPause(ctx context.Context, name string, paused bool, args []string) error {
	fs := c.flags(name)
	reason := fs.String("reason", "", "why, shown in obctl status")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usagef("%s needs a scope and a target: %s poller <shop>|all, "+
			"or %s writer <form>|all", name, name, name)
	}
	ctx, done, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer done()

	res, err := c.client.SetPause(ctx, &adminv1.SetPauseRequest{
		Scope: fs.Arg(0), Target: fs.Arg(1), Paused: paused, Reason: *reason,
	})
	if err != nil {
		return err
	}
	if c.g.output == "json" {
		return c.printJSON(res)
	}
	fmt.Fprintf(c.io.Stdout, "%s %s %s done\n", name, fs.Arg(0), fs.Arg(1))
	t := newTable(c.io.Stdout, "PAUSED", "TARGET", "REASON")
	for _, p := range res.GetPauses() {
		t.row(p.GetScope(), p.GetTarget(), p.GetReason())
	}
	t.flush()
	return nil
}

func (c *cli) audit(ctx context.Context, args []string) error {
	fs := c.flags("audit")
	since := fs.String("since", "", "records at or after")
	action := fs.String("action", "", "only this action, such as replay or dlq.redrive")
	limit := fs.Uint("limit", 100, "latest records shown")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	from, err := c.optTime("since", *since)
	if err != nil {
		return err
	}
	ctx, done, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer done()

	res, err := c.client.ListAudit(ctx, &adminv1.ListAuditRequest{
		Since: from, Action: *action, Limit: uint32(*limit),
	})
	if err != nil {
		return err
	}
	if c.g.output == "json" {
		return c.printJSON(res)
	}
	t := newTable(c.io.Stdout, "TIME", "ACTOR", "PRINCIPAL", "ACTION", "DETAILS")
	for _, r := range res.GetRecords() {
		t.row(ts(r.GetTime()), r.GetActor(), r.GetPrincipal(), r.GetAction(), r.GetDetails())
	}
	t.flush()
	return nil
}

func (c *cli) topology(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "diff" && args[0] != "apply") {
		return usagef("topology needs diff or apply")
	}
	apply := args[0] == "apply"
	fs := c.flags("topology " + args[0])
	yes := fs.Bool("yes", false, "apply without asking")
	if err := c.parse(fs, args[1:]); err != nil {
		return err
	}
	ctx, done, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer done()

	plan, err := c.client.ApplyTopology(ctx, &adminv1.ApplyTopologyRequest{DryRun: true})
	if err != nil {
		return err
	}
	if !apply || len(plan.GetChanges()) == 0 {
		return c.printTopology(plan)
	}
	if c.g.output != "json" {
		c.printChanges(plan)
	}
	if !*yes && !c.confirm("apply these changes?") {
		return fmt.Errorf("topology apply cancelled; nothing was changed")
	}
	res, err := c.client.ApplyTopology(ctx, &adminv1.ApplyTopologyRequest{})
	if err != nil {
		return err
	}
	if c.g.output == "json" {
		return c.printJSON(res)
	}
	for _, e := range res.GetErrors() {
		fmt.Fprintln(c.io.Stdout, "refused:", e)
	}
	if len(res.GetErrors()) > 0 {
		return fmt.Errorf("%d changes were refused; a stream's storage or a consumer's "+
			"deliver policy cannot change in place: recreate the object", len(res.GetErrors()))
	}
	fmt.Fprintf(c.io.Stdout, "applied %d changes\n", len(res.GetChanges()))
	return nil
}

func (c *cli) printTopology(plan *adminv1.ApplyTopologyResponse) error {
	if c.g.output == "json" {
		return c.printJSON(plan)
	}
	if len(plan.GetChanges()) == 0 {
		fmt.Fprintln(c.io.Stdout, "topology matches the configuration")
		return nil
	}
	c.printChanges(plan)
	return nil
}

func (c *cli) printChanges(plan *adminv1.ApplyTopologyResponse) {
	t := newTable(c.io.Stdout, "OBJECT", "SETTING", "HAVE", "WANT")
	for _, ch := range plan.GetChanges() {
		setting := ch.GetSetting()
		if setting == "" {
			setting = "(whole object)"
		}
		t.row(ch.GetObject(), setting, ch.GetHave(), ch.GetWant())
	}
	t.flush()
}
