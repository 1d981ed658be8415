package writer

import (
	"errors"
	"strconv"
	"time"

	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	documents *prometheus.CounterVec
	calls     *prometheus.HistogramVec
	errors    *prometheus.CounterVec
	batches   prometheus.Histogram
	inFlight  prometheus.Gauge
	ledger    *prometheus.CounterVec
	circuit   prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	const ns, sub = "orderbridge", "writer"
	m := &metrics{
		documents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Subsystem: sub,
			Name: "documents_total",
			Help: "Canonical documents handled, by Kingdee form and outcome (posted, " +
				"updated, verified, duplicate, stale, retry, paused, dead_letter).",
		}, []string{"form", "outcome"}),
		calls: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: ns, Subsystem: sub,
			Name:    "kingdee_call_duration_seconds",
			Help:    "Duration of calls to Kingdee, by operation.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10),
		}, []string{"op"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Subsystem: sub,
			Name: "kingdee_errors_total",
			Help: "Failed calls to Kingdee, by operation and MsgCode " +
				"(-1: no Kingdee answer).",
		}, []string{"op", "code"}),
		batches: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: ns, Subsystem: sub,
			Name:    "batch_documents",
			Help:    "Documents per BatchSave call.",
			Buckets: []float64{1, 2, 5, 10, 20, 50, 100, 200},
		}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: ns, Subsystem: sub,
			Name: "kingdee_calls_in_flight",
			Help: "Calls to Kingdee waiting for an answer.",
		}),
		ledger: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Subsystem: sub,
			Name: "ledger_writes_total",
			Help: "Ledger entries written, by the state written (claimed, saved, " +
				"submitted, audited, failed, abandoned).",
		}, []string{"state"}),
		circuit: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: ns, Subsystem: sub,
			Name: "circuit_state",
			Help: "The Kingdee circuit breaker: 0 closed, 1 half-open, 2 open.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.documents, m.calls, m.errors, m.batches, m.inFlight,
			m.ledger, m.circuit)
	}
	return m
}

// observe is the Kingdee client's hook, called after every HTTP call.
func (m *metrics) observe(op string, msgCode int, d time.Duration, err error) {
	m.calls.WithLabelValues(op).Observe(d.Seconds())
	if err == nil && msgCode == 0 {
		return
	}
	code := msgCode
	var kerr *kingdee.Error
	if errors.As(err, &kerr) {
		code = kerr.MsgCode
	} else if err != nil && code == 0 {
		code = -1
	}
	m.errors.WithLabelValues(op, strconv.Itoa(code)).Inc()
}

// doc counts n documents of form with outcome.
func (m *metrics) doc(form, outcome string) {
	if form == "" {
		form = "none"
	}
	m.documents.WithLabelValues(form, outcome).Inc()
}
