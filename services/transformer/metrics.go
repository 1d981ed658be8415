package transformer

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	documents *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		documents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "orderbridge", Subsystem: "transformer",
			Name: "documents_total",
			Help: "Raw documents handled, by kind, outcome (published, filtered, " +
				"dead_letter) and the rule or reason behind it.",
		}, []string{"kind", "outcome", "rule"}),
	}
	if reg != nil {
		reg.MustRegister(m.documents)
	}
	return m
}
