package chaos

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/standalone"
)

// forms are the Kingdee forms the default rules post to.
var forms = []string{"SAL_SaleOrder", "SAL_RETURNSTOCK", "AR_REFUNDBILL"}

// outcome compares what JST holds with what Kingdee and the dead-letter
// stream hold.
type outcome struct {
	expected   int
	once       int
	twice      int
	missing    []string
	deadLetter map[string]string // bill number -> reason and error
	extra      []string          // bills no final document asks for
	// wrongContent holds what differs on bills posted once (form,
	// materials, quantities, amounts), by standalone.CheckBill.
	wrongContent []string
}

func (o outcome) String() string {
	return fmt.Sprintf("documents expected %d, posted once %d, posted twice %d, "+
		"missing %d, wrong content %d, dead-lettered with reason %d",
		o.expected, o.once, o.twice, len(o.missing), len(o.wrongContent),
		len(o.deadLetter))
}

// expectedBills fetches the JST simulator's final documents and states
// the default rules over them (standalone.ExpectedOf), by bill number.
func expectedBills(jstURL string) (map[string]standalone.Expected, error) {
	var orders []jstsim.Order
	var afters []jstsim.AfterSale
	if err := getJSON(jstURL+"/sim/orders", &orders); err != nil {
		return nil, err
	}
	if err := getJSON(jstURL+"/sim/aftersales", &afters); err != nil {
		return nil, err
	}
	return standalone.ExpectedOf(orders, afters), nil
}

// postedBills returns, by bill number, every bill Kingdee holds in the
// forms the default rules post to (a number twice in the list is a
// duplicate).
func postedBills(kingdeeURL string) (map[string][]kingdeesim.StoredBill, error) {
	out := map[string][]kingdeesim.StoredBill{}
	for _, f := range forms {
		var bills []kingdeesim.StoredBill
		if err := getJSON(kingdeeURL+"/sim/bills?form="+f, &bills); err != nil {
			return nil, err
		}
		for _, b := range bills {
			out[b.BillNo] = append(out[b.BillNo], b)
		}
	}
	return out, nil
}

// billCount is the number of bills Kingdee holds in the forms the default
// rules post to, read without fetching the bills.
func billCount(kingdeeURL string) (int, error) {
	n := 0
	for _, f := range forms {
		var c struct{ Bills int }
		if err := getJSON(kingdeeURL+"/sim/count?form="+f, &c); err != nil {
			return 0, err
		}
		n += c.Bills
	}
	return n, nil
}

// deadLetters reads the DLQ stream: bill number of the document ->
// "reason: error".
func deadLetters(ctx context.Context, js jetstream.JetStream) (map[string]string, error) {
	s, err := js.Stream(ctx, bus.StreamDLQ)
	if err != nil {
		return nil, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && seq > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			continue // deleted
		}
		key := m.Header.Get(bus.HeaderDocKey)
		no := key
		if kind, id, ok := strings.Cut(key, "."); ok {
			switch kind {
			case "order":
				no = "JST-" + id
			case "aftersale":
				no = "JST-AS-" + id
			}
		}
		out[no] = m.Header.Get(bus.HeaderReason) + ": " + m.Header.Get(bus.HeaderError)
	}
	return out, nil
}

// compare builds the outcome from the three sources, checking the content
// of every bill posted once.
func compare(
	want map[string]standalone.Expected,
	got map[string][]kingdeesim.StoredBill,
	dl map[string]string,
) outcome {
	o := outcome{expected: len(want), deadLetter: map[string]string{}}
	for no, exp := range want {
		switch bs := got[no]; {
		case len(bs) == 1:
			o.once++
			if err := standalone.CheckBill(exp, bs[0]); err != nil {
				o.wrongContent = append(o.wrongContent, err.Error())
			}
		case len(bs) > 1:
			o.twice++
		case dl[no] != "":
			o.deadLetter[no] = dl[no]
		default:
			o.missing = append(o.missing, no)
		}
	}
	for no, bs := range got {
		if _, ok := want[no]; !ok {
			var fs []string
			for _, b := range bs {
				fs = append(fs, b.FormID)
			}
			o.extra = append(o.extra, fmt.Sprintf("%s (%s)", no, strings.Join(fs, ",")))
			if len(bs) > 1 {
				o.twice++
			}
		}
	}
	sort.Strings(o.missing)
	sort.Strings(o.extra)
	sort.Strings(o.wrongContent)
	return o
}
