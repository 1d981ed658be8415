package chaos

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/services/jstsim"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
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
	wrongForm  []string
}

func (o outcome) String() string {
	return fmt.Sprintf("documents expected %d, posted once %d, posted twice %d, "+
		"missing %d, dead-lettered with reason %d",
		o.expected, o.once, o.twice, len(o.missing), len(o.deadLetter))
}

// expectedBills states the default rules over the JST simulator's final
// documents: bill number -> form.
func expectedBills(jstURL string) (map[string]string, error) {
	var orders []jstsim.Order
	var afters []jstsim.AfterSale
	if err := getJSON(jstURL+"/sim/orders", &orders); err != nil {
		return nil, err
	}
	if err := getJSON(jstURL+"/sim/aftersales", &afters); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, o := range orders {
		if o.Status == "Sent" {
			out["JST-"+strconv.FormatInt(o.ID, 10)] = "SAL_SaleOrder"
		}
	}
	for _, a := range afters {
		no := "JST-AS-" + strconv.FormatInt(a.ID, 10)
		switch {
		case (a.Type == "普通退货" || a.Type == "拒收退货") &&
			a.Status == "Confirmed" && a.GoodStatus == "SELLER_RECEIVED":
			out[no] = "SAL_RETURNSTOCK"
		case a.Type == "仅退款" && a.Status == "Confirmed":
			out[no] = "AR_REFUNDBILL"
		}
	}
	return out, nil
}

// postedBills returns, by bill number, the forms of every bill Kingdee
// holds (a number twice in the list is a duplicate).
func postedBills(kingdeeURL string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, f := range forms {
		var bills []kingdeesim.StoredBill
		if err := getJSON(kingdeeURL+"/sim/bills?form="+f, &bills); err != nil {
			return nil, err
		}
		for _, b := range bills {
			out[b.BillNo] = append(out[b.BillNo], f)
		}
	}
	return out, nil
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

// compare builds the outcome from the three sources.
func compare(want map[string]string, got map[string][]string, dl map[string]string) outcome {
	o := outcome{expected: len(want), deadLetter: map[string]string{}}
	for no, form := range want {
		switch fs := got[no]; {
		case len(fs) == 1:
			o.once++
			if fs[0] != form {
				o.wrongForm = append(o.wrongForm, fmt.Sprintf("%s in %s, want %s", no, fs[0], form))
			}
		case len(fs) > 1:
			o.twice++
		case dl[no] != "":
			o.deadLetter[no] = dl[no]
		default:
			o.missing = append(o.missing, no)
		}
	}
	for no, fs := range got {
		if _, ok := want[no]; !ok {
			o.extra = append(o.extra, fmt.Sprintf("%s (%s)", no, strings.Join(fs, ",")))
			if len(fs) > 1 {
				o.twice++
			}
		}
	}
	sort.Strings(o.missing)
	sort.Strings(o.extra)
	return o
}
