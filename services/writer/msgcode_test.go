package writer_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/services/kingdeesim"
	"github.com/orderbridge/orderbridge/services/writer"
)

type classCase struct {
	name  string
	setup func(t *testing.T, r *rig)
	mod   func(*writer.Config)
	// saveCalls is how many BatchSave calls Kingdee sees; 0: any.
	saveCalls int
	logins    int
	status    string // the bill's FDocumentStatus; "" is A
	dlq       string // the dead letter's reason; "": none
	dlqText   []string
}

// TestMsgCodeClasses shows, for each class of Kingdee answer, that the
// writer retries, logs in again, verifies before writing again, or
// dead-letters, and that each document ends in Kingdee once or in DLQ.
func TestMsgCodeClasses(t *testing.T) {
	audited := "单据编号为“JST-1”的销售订单，单据已经审核！"
	tests := []classCase{{
		name: "1 session lost on a write: re-login, verify, send again",
		setup: func(t *testing.T, r *rig) {
			r.script.then("BatchSave", step{body: failure(1, textSessionLost)})
		},
		saveCalls: 2, logins: 2,
	}, {
		name: "1 session lost on a read: re-login, read again",
		setup: func(t *testing.T, r *rig) {
			r.script.then("BatchSave", step{status: 502})
			r.script.then("ExecuteBillQuery", step{body: "[[" + failure(1, textSessionLost) + "]]"})
		},
		saveCalls: 2, logins: 2,
	}, {
		name: "commit without answer: verify, never send again",
		setup: func(t *testing.T, r *rig) {
			r.script.then("BatchSave", step{drop: true})
		},
		saveCalls: 1,
	}, {
		name: "5xx: verify, then send again",
		setup: func(t *testing.T, r *rig) {
			r.script.then("BatchSave", step{status: 500})
		},
		saveCalls: 2,
	}, {
		name: "13 network-control conflict: retry",
		setup: func(t *testing.T, r *rig) {
			r.script.then("BatchSave", step{body: failure(13, "网控冲突")})
		},
		saveCalls: 2,
	}, {
		name: "14 call limit: retry",
		setup: func(t *testing.T, r *rig) {
			r.script.then("BatchSave", step{body: failure(14, "调用频率超过限制")})
		},
		saveCalls: 2,
	}, {
		name: "11 number exists: verify, then update",
		setup: func(t *testing.T, r *rig) {
			b, err := bill.Build(order("1", 1, "7"), bill.DefaultSettings())
			if err != nil {
				t.Fatal(err)
			}
			c := client(t, r)
			if _, err := c.Save(context.Background(), b.FormID,
				kingdee.SaveRequest{Model: b.Model}); err != nil {
				t.Fatal(err)
			}
		},
		saveCalls: 2,
	}, {
		name: "11 already audited, and true: checked, success",
		mod:  func(c *writer.Config) { c.Submit, c.Audit = true, true },
		setup: func(t *testing.T, r *rig) {
			r.script.then("Audit", step{replace: failure(11, audited)})
		},
		saveCalls: 1, status: "C",
	}, {
		name: "11 already audited, but not so: checked, retried",
		mod:  func(c *writer.Config) { c.Submit, c.Audit = true, true },
		setup: func(t *testing.T, r *rig) {
			r.script.then("Audit", step{body: failure(11, audited)})
		},
		saveCalls: 1, status: "C",
	}, {
		name: "11 validation: dead-letter naming field and value",
		setup: func(t *testing.T, r *rig) {
			r.script.then("BatchSave", step{body: failure(11, "字段“客户”的值“CUST9”在系统中不存在")})
		},
		saveCalls: 1, dlq: "kingdee_rejected",
		dlqText: []string{"order.1", "JST-1", "CUST9", "msgcode 11"},
	}}
	for _, code := range []struct {
		code int
		text string
	}{{2, "没有权限"}, {4, "业务对象不存在"}, {8, "参数错误"}, {9, "元数据中标识为FX的字段不存在"}} {
		tests = append(tests, classCase{
			name: strconv.Itoa(code.code) + " refused: dead-letter",
			setup: func(t *testing.T, r *rig) {
				r.script.then("BatchSave", step{body: failure(code.code, code.text)})
			},
			saveCalls: 1, dlq: "kingdee_rejected",
			dlqText: []string{"order.1", code.text, "msgcode " + strconv.Itoa(code.code)},
		})
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, kingdeesim.Options{})
			if tt.setup != nil {
				tt.setup(t, r)
			}
			r.publish(order("1", 1, "2"))
			r.start(r.config(tt.mod))
			drained(t, r.env.JS, 30*time.Second)

			dl := deadLetters(t, r.env.JS)
			if tt.dlq != "" {
				h, ok := dl["order.1"]
				if !ok || h.Get(bus.HeaderReason) != tt.dlq {
					t.Fatalf("dead letter of order.1 = %v, want reason %s", h, tt.dlq)
				}
				for _, s := range tt.dlqText {
					if !strings.Contains(h.Get(bus.HeaderError), s) {
						t.Errorf("dead letter error %q lacks %q", h.Get(bus.HeaderError), s)
					}
				}
			} else {
				if len(dl) != 0 {
					t.Fatalf("dead letters %v, want none", dl)
				}
				got := bills(r.sim, bill.FormSaleOrder)
				b, ok := got["JST-1"]
				if len(got) != 1 || !ok || qtyOf(t, b) != "2" {
					t.Fatalf("bills = %v, want JST-1 once with qty 2", got)
				}
				if want := firstOf(tt.status, "A"); b.Status != want {
					t.Errorf("JST-1 status = %s, want %s", b.Status, want)
				}
			}
			if n := r.script.count("BatchSave"); tt.saveCalls != 0 && n != tt.saveCalls {
				t.Errorf("BatchSave calls = %d, want %d", n, tt.saveCalls)
			}
			if tt.logins != 0 {
				if n := r.sim.Stats()["ValidateUser"]["ok"]; n != tt.logins {
					t.Errorf("logins = %d, want %d", n, tt.logins)
				}
			}
		})
	}
}

func client(t *testing.T, r *rig) *kingdee.Client {
	t.Helper()
	c, err := kingdee.New(r.config(nil).Kingdee)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
