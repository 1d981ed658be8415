package kingdeesim_test

import (
	"context"
	"maps"
	"testing"

	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
)

func TestCancelAssignWithdrawsSubmission(t *testing.T) {
	sim, srv := startSim(t, kingdeesim.Options{})
	c := newClient(t, srv.URL, nil)
	ctx := context.Background()
	b := orderBill(t, "JST-1", "SKU-A")
	res, err := save(t, c, b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Submit(ctx, b.FormID, []string{"JST-1"}); err != nil {
		t.Fatal(err)
	}
	update := maps.Clone(b.Model)
	update["FID"] = res.ID

	_, err = c.Save(ctx, b.FormID, kingdee.SaveRequest{Model: update})
	if kerr := kerrOf(t, err); kerr.MsgCode != 12 {
		t.Fatalf("Save() over a submitted bill error %v, want msgcode 12", err)
	}
	if _, err := c.CancelAssign(ctx, b.FormID, []string{"JST-1"}); err != nil {
		t.Fatalf("CancelAssign() error %v", err)
	}
	if st := sim.Bills(b.FormID)[0].Status; st != "A" {
		t.Errorf("status after CancelAssign = %s, want A", st)
	}
	if _, err := c.Save(ctx, b.FormID, kingdee.SaveRequest{Model: update}); err != nil {
		t.Errorf("Save() after CancelAssign error %v", err)
	}
	_, err = c.CancelAssign(ctx, b.FormID, []string{"JST-1"})
	if kerr := kerrOf(t, err); kerr.MsgCode != 11 {
		t.Errorf("CancelAssign() of a bill not submitted error %v, want msgcode 11", err)
	}
	_, err = c.Submit(ctx, b.FormID, []string{"JST-1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Submit(ctx, b.FormID, []string{"JST-1"})
	if kerr := kerrOf(t, err); !kerr.AlreadySubmitted() {
		t.Errorf("Submit() twice error %v, want AlreadySubmitted", err)
	}
}
