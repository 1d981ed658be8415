package transformer

import "github.com/prometheus/client_golang/prometheus"

// Outcomes of a mapping file reload, as rules_reload_total counts them.
const (
	reloadApplied    = "applied"
	reloadRefused    = "refused"
	reloadUnreadable = "unreadable"
)

type metrics struct {
	documents *prometheus.CounterVec
	reloads   *prometheus.CounterVec
	rulesInfo *prometheus.GaugeVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		documents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "orderbridge", Subsystem: "transformer",
			Name: "documents_total",
			Help: "Raw documents handled, by kind, outcome (published, filtered, " +
				"dead_letter) and the rule or reason behind it.",
		}, []string{"kind", "outcome", "rule"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "orderbridge", Subsystem: "transformer",
			Name: "rules_reload_total",
			Help: "Changes of the mapping file seen, by outcome: applied, refused " +
				"(invalid; the rules in force stay) or unreadable.",
		}, []string{"outcome"}),
		rulesInfo: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "orderbridge", Subsystem: "transformer",
			Name: "rules_info",
			Help: "1 for the version of the mapping rules in force.",
		}, []string{"version"}),
	}
	for _, outcome := range []string{reloadApplied, reloadRefused, reloadUnreadable} {
		m.reloads.WithLabelValues(outcome)
	}
	if reg != nil {
		reg.MustRegister(m.documents, m.reloads, m.rulesInfo)
	}
	return m
}

// inForce records version as the rules in force.
func (m *metrics) inForce(version string) {
	m.rulesInfo.Reset()
	m.rulesInfo.WithLabelValues(version).Set(1)
}
