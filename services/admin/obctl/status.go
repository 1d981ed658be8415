package obctl

import (
	"context"
	"fmt"

	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
)

func (c *cli) status(ctx context.Context, args []string) error {
	fs := c.flags("status")
	skipLedger := fs.Bool("skip-ledger", false, "leave out the ledger counts (they read every entry)")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	ctx, done, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer done()

	st, err := c.client.GetStatus(ctx, &adminv1.GetStatusRequest{SkipLedger: *skipLedger})
	if err != nil {
		return err
	}
	if c.g.output == "json" {
		return c.printJSON(st)
	}
	c.printStatus(st)
	return nil
}

func (c *cli) printStatus(st *adminv1.GetStatusResponse) {
	w := c.io.Stdout
	t := newTable(w, "STREAM", "MESSAGES", "BYTES", "FIRST", "LAST", "LAST AT")
	for _, s := range st.GetStreams() {
		t.row(s.GetName(), s.GetMessages(), s.GetBytes(), s.GetFirstSeq(), s.GetLastSeq(),
			ts(s.GetLastTime()))
	}
	t.flush()

	fmt.Fprintln(w)
	t = newTable(w, "CONSUMER", "PENDING", "ACK PENDING", "REDELIVERED", "ACK FLOOR", "OLDEST UNACKED")
	for _, cs := range st.GetConsumers() {
		t.row(cs.GetStream()+"/"+cs.GetName(), cs.GetPending(), cs.GetAckPending(),
			cs.GetRedelivered(), cs.GetAckFloorSeq(), age(cs.GetOldestUnackedAge()))
	}
	t.flush()

	fmt.Fprintln(w)
	t = newTable(w, "CURSOR", "POSITION", "LAG")
	for _, cur := range st.GetCursors() {
		t.row(cur.GetKind()+"/"+cur.GetShop(), ts(cur.GetPosition()), age(cur.GetLag()))
	}
	t.flush()

	c.printCounts("LEDGER STATE", st.GetLedgerStates())
	c.printCounts("DEAD LETTERS (STAGE/REASON)", st.GetDeadLetterReasons())

	if len(st.GetPauses()) > 0 {
		fmt.Fprintln(w)
		t = newTable(w, "PAUSED", "TARGET", "REASON")
		for _, p := range st.GetPauses() {
			t.row(p.GetScope(), p.GetTarget(), p.GetReason())
		}
		t.flush()
	}
}

func (c *cli) printCounts(title string, counts []*adminv1.Count) {
	fmt.Fprintln(c.io.Stdout)
	t := newTable(c.io.Stdout, title, "COUNT")
	if len(counts) == 0 {
		t.row("(none)", 0)
	}
	for _, n := range counts {
		t.row(n.GetName(), n.GetCount())
	}
	t.flush()
}
