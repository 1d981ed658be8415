package bus

import "github.com/prometheus/client_golang/prometheus"

// HandledCounter exposes the handled-messages counter to tests.
func (m *Metrics) HandledCounter(consumer, outcome string) prometheus.Counter {
	return m.handled.WithLabelValues(consumer, outcome)
}
