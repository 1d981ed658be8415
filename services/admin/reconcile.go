package admin

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/orderbridge/orderbridge/pkg/ledger"
	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Kinds of differences, the label values of the reconcile metric.
const (
	DiffMissing    = "missing"
	DiffExtra      = "extra"
	DiffDuplicated = "duplicated"
	DiffDiffering  = "differing"
)

var diffKinds = []string{DiffMissing, DiffExtra, DiffDuplicated, DiffDiffering}

// maxReconcileRange bounds one reconcile, which reads every JST document
// modified in the range.
const maxReconcileRange = 31 * 24 * time.Hour

// reconcileMu keeps scheduled and on-demand runs from overlapping, since
// both read JST under the merchant's rate budget.
var reconcileMu sync.Mutex

// Reconcile compares, for the documents JST reports modified in the
// range, the bills the rules in force expect with what the ledger says and
// what Kingdee holds. It reports missing bills (expected, not in Kingdee,
// or a document that cannot be mapped), extra bills (in Kingdee with a
// date in the range, neither expected nor in the ledger), duplicated
// numbers (held more than once across forms) and differing ones (the
// ledger says posted and Kingdee lacks the bill, or the FIDs disagree),
// and sets orderbridge_admin_reconcile_differences.
func (s *Server) Reconcile(
	ctx context.Context,
	req *adminv1.ReconcileRequest,
) (*adminv1.ReconcileResponse, error) {
	if req.GetFrom() == nil || req.GetTo() == nil {
		return nil, invalid("--from and --to are required")
	}
	from, to := req.GetFrom().AsTime(), req.GetTo().AsTime()
	if !from.Before(to) || to.Sub(from) > maxReconcileRange {
		return nil, invalid("--from must be before --to, at most %s apart: "+
			"reconcile a longer period in parts", maxReconcileRange)
	}
	rep, err := s.RunReconcile(ctx, from, to)
	if err != nil {
		return nil, internal("reconcile", err)
	}
	return rep, nil
}

// RunReconcile runs one reconcile over [from, to], records its figures in
// the metrics and returns its report. It returns an error wrapping
// ErrNotConfigured when the admin has no JST or Kingdee client.
func (s *Server) RunReconcile(
	ctx context.Context,
	from, to time.Time,
) (*adminv1.ReconcileResponse, error) {
	if s.d.JST == nil || s.d.Kingdee == nil {
		return nil, fmt.Errorf("%w: reconcile needs the JST_* and KINGDEE_* "+
			"variables on the admin (read-only credentials suffice)", ErrNotConfigured)
	}
	reconcileMu.Lock()
	defer reconcileMu.Unlock()

	rep, err := s.reconcile(ctx, from, to)
	if err != nil {
		s.m.reconcileRuns.WithLabelValues("error").Inc()
		return nil, err
	}
	s.m.reconcileRuns.WithLabelValues("ok").Inc()
	s.m.reconcileDiffs.WithLabelValues(DiffMissing).Set(float64(len(rep.Missing)))
	s.m.reconcileDiffs.WithLabelValues(DiffExtra).Set(float64(len(rep.Extra)))
	s.m.reconcileDiffs.WithLabelValues(DiffDuplicated).Set(float64(len(rep.Duplicated)))
	s.m.reconcileDiffs.WithLabelValues(DiffDiffering).Set(float64(len(rep.Differing)))
	s.m.reconcileTime.Set(float64(s.d.Now().Unix()))
	return rep, nil
}

func (s *Server) reconcile(
	ctx context.Context,
	from, to time.Time,
) (*adminv1.ReconcileResponse, error) {
	expected, err := s.expectedBills(ctx, from, to)
	if err != nil {
		return nil, err
	}
	entries := map[string]ledgerEntry{}
	ledgerNos := map[string]bool{}
	err = eachLedgerEntry(ctx, s.d.JS, func(key string, e ledgerEntry) {
		entries[key] = e
		if e.BillNo != "" {
			ledgerNos[e.BillNo] = true
		}
	})
	if err != nil {
		return nil, err
	}
	held, err := s.kingdeeBills(ctx, from, to, expected)
	if err != nil {
		return nil, err
	}

	rep := &adminv1.ReconcileResponse{
		From: timestamppb.New(from), To: timestamppb.New(to),
		Time: timestamppb.New(s.d.Now()), Expected: uint64(len(expected)),
	}
	c := comparison{expected: expected, ledger: entries, ledgerNos: ledgerNos, held: held}
	c.compare(rep)
	return rep, nil
}

// comparison holds the three sides of a reconcile.
type comparison struct {
	expected  map[string]expectedBill // by doc key
	ledger    map[string]ledgerEntry  // by doc key
	ledgerNos map[string]bool         // bill numbers the ledger knows
	held      map[string][]heldBill   // Kingdee's bills by number
}

func (c comparison) compare(rep *adminv1.ReconcileResponse) {
	byNo := map[string]string{} // bill number -> doc key of the expected bills
	for _, key := range sortedMapKeys(c.expected) {
		x := c.expected[key]
		if x.err != "" {
			rep.Missing = append(rep.Missing, &adminv1.Difference{
				DocKey: key, Detail: "cannot be mapped: " + x.err,
			})
			continue
		}
		byNo[x.billNo] = key
		bills := c.held[x.billNo]
		i := slices.IndexFunc(bills, func(b heldBill) bool { return b.form == x.form })
		if i < 0 {
			rep.Missing = append(rep.Missing, &adminv1.Difference{
				DocKey: key, Form: x.form, BillNo: x.billNo, Detail: missingDetail(x, bills),
			})
		} else {
			rep.Found++
		}
		if d := c.differs(key, x, bills); d != nil {
			rep.Differing = append(rep.Differing, d)
		}
	}

	for _, no := range sortedMapKeys(c.held) {
		bills := c.held[no]
		key := byNo[no]
		if len(bills) > 1 {
			rep.Duplicated = append(rep.Duplicated, &adminv1.Difference{
				DocKey: key, Form: bills[0].form, BillNo: no,
				Detail: fmt.Sprintf("held %d times: %s", len(bills), describeBills(bills)),
			})
		}
		if key == "" && !c.ledgerNos[no] {
			rep.Extra = append(rep.Extra, &adminv1.Difference{
				Form: bills[0].form, BillNo: no,
				Detail: describeBills(bills) + ": no JST document in the range maps to it " +
					"and the ledger does not know it",
			})
		}
	}
}

// differs compares the ledger's entry of an expected document with
// Kingdee's bills of its number.
func (c comparison) differs(key string, x expectedBill, bills []heldBill) *adminv1.Difference {
	e, ok := c.ledger[key]
	if !ok || !e.State.Reached(ledger.Saved) {
		return nil
	}
	form := e.Form
	if form == "" {
		form = x.form
	}
	d := &adminv1.Difference{DocKey: key, Form: form, BillNo: e.BillNo}
	i := slices.IndexFunc(bills, func(b heldBill) bool { return b.form == form })
	switch {
	case i < 0:
		d.Detail = fmt.Sprintf("ledger says %s with FID %d; Kingdee lacks the bill", e.State, e.FID)
	case e.FID != 0 && bills[i].fid != e.FID:
		d.Detail = fmt.Sprintf("ledger FID %d, Kingdee FID %d", e.FID, bills[i].fid)
	default:
		return nil
	}
	return d
}

func missingDetail(x expectedBill, bills []heldBill) string {
	if len(bills) == 0 {
		return "expected in " + x.form + "; Kingdee has no bill of this number"
	}
	return "expected in " + x.form + "; Kingdee holds it only as " + describeBills(bills)
}

func describeBills(bills []heldBill) string {
	parts := make([]string, len(bills))
	for i, b := range bills {
		parts[i] = fmt.Sprintf("%s FID %d", b.form, b.fid)
	}
	return strings.Join(parts, ", ")
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
