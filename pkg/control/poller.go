package control

import "time"

// Subjects the active poller answers. Only the lease holder subscribes, so
// a request reaches exactly the poller that owns the merchant's budget.
const (
	// SubjectBackfill starts a backfill: BackfillRequest in,
	// BackfillStatus out (its ID set when accepted).
	SubjectBackfill = "ob.control.poller.backfill"
	// SubjectBackfillStatus reports backfills: BackfillQuery in,
	// []BackfillStatus out.
	SubjectBackfillStatus = "ob.control.poller.backfill.status"
)

// BackfillRequest asks the poller to read a past range again without moving
// the live checkpoint. Kind is "order" or "aftersale"; an empty Kind means
// both. An empty ShopID means every shop the poller polls.
type BackfillRequest struct {
	Kind   string    `json:"kind,omitempty"`
	ShopID string    `json:"shop_id,omitempty"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	// RequestedBy names the person or tool, for the logs.
	RequestedBy string `json:"requested_by,omitempty"`
}

// BackfillQuery selects backfills by ID; an empty ID means all of them.
type BackfillQuery struct {
	ID string `json:"id,omitempty"`
}

// BackfillStatus is the progress of one backfill.
type BackfillStatus struct {
	ID     string    `json:"id"`
	Kind   string    `json:"kind,omitempty"`
	ShopID string    `json:"shop_id,omitempty"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	// Position is how far the backfill has read: every document modified
	// before it has been published.
	Position  time.Time `json:"position"`
	Pages     int       `json:"pages"`
	Documents int       `json:"documents"`
	Done      bool      `json:"done"`
	// Error is why the request was refused or the backfill stopped.
	Error   string    `json:"error,omitempty"`
	Started time.Time `json:"started"`
	Updated time.Time `json:"updated"`
}
