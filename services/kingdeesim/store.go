package kingdeesim

import (
	"encoding/json"
	"maps"
	"slices"
	"time"
)

// Document statuses (FDocumentStatus).
const (
	statusDraft     = "Z"
	statusCreated   = "A"
	statusSubmitted = "B"
	statusAudited   = "C"
	statusReaudit   = "D"
)

// record is a stored bill.
type record struct {
	fid    int64
	billNo string
	status string
	saves  int
	date   time.Time
	model  map[string]any
}

// store holds the bills of one form.
type store struct {
	byID map[int64]*record
	byNo map[string]*record
}

func newStore() *store {
	return &store{byID: map[int64]*record{}, byNo: map[string]*record{}}
}

// sorted returns the bills by FID.
func (st *store) sorted() []*record {
	out := slices.Collect(maps.Values(st.byID))
	slices.SortFunc(out, func(a, b *record) int { return int(a.fid - b.fid) })
	return out
}

func (st *store) put(r *record, oldNo string) {
	if oldNo != "" && oldNo != r.billNo {
		delete(st.byNo, oldNo)
	}
	st.byID[r.fid] = r
	st.byNo[r.billNo] = r
}

func (st *store) remove(r *record) {
	delete(st.byID, r.fid)
	delete(st.byNo, r.billNo)
}

// StoredBill is a bill as the Sim holds it, for tests.
type StoredBill struct {
	FormID string
	FID    int64
	BillNo string
	// Status is FDocumentStatus: Z, A, B, C or D.
	Status string
	// Saves counts the Save calls that wrote the bill.
	Saves int
	// Model is the saved model, with FID and FBillNo filled in.
	Model json.RawMessage
}

// BillCount is the number of bills of formID: what a caller waiting for
// bills asks, without encoding every model as Bills does.
func (s *Sim) BillCount(formID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.stores[formID]; st != nil {
		return len(st.byID)
	}
	return 0
}

// Bills returns the bills of formID, by FID.
func (s *Sim) Bills(formID string) []StoredBill {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stores[formID]
	if st == nil {
		return nil
	}
	var out []StoredBill
	for _, r := range st.sorted() {
		model, _ := json.Marshal(r.model)
		out = append(out, StoredBill{
			FormID: formID, FID: r.fid, BillNo: r.billNo, Status: r.status,
			Saves: r.saves, Model: model,
		})
	}
	return out
}
