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
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		documents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "orderbridge", Subsystem: "writer",
			Name: "documents_total",
			Help: "Canonical documents handled, by Kingdee form and outcome " +
				"(posted, updated, duplicate, stale, verified, dead_letter).",
		}, []string{"form", "outcome"}),
		calls: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "orderbridge", Subsystem: "writer",
			Name:    "kingdee_call_duration_seconds",
			Help:    "Duration of calls to Kingdee, by operation.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10),
		}, []string{"op"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "orderbridge", Subsystem: "writer",
			Name: "kingdee_errors_total",
			Help: "Failed calls to Kingdee, by operation and MsgCode (-1: no Kingdee answer).",
		}, []string{"op", "code"}),
	}
	if reg != nil {
		reg.MustRegister(m.documents, m.calls, m.errors)
	}
	return m
}

// observe is the Kingdee client's hook.
func (m *metrics) observe(op string, msgCode int, d time.Duration, err error) {
	m.calls.WithLabelValues(op).Observe(d.Seconds())
	if err == nil {
		return
	}
	code := msgCode
	var kerr *kingdee.Error
	if errors.As(err, &kerr) {
		code = kerr.MsgCode
	} else if code == 0 {
		code = -1
	}
	m.errors.WithLabelValues(op, strconv.Itoa(code)).Inc()
}
