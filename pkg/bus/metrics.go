package bus

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the bus's Prometheus metrics. One set serves every publisher
// and consume loop of a process; register it once with NewMetrics.
type Metrics struct {
	published   *prometheus.CounterVec
	handled     *prometheus.CounterVec
	handleTime  *prometheus.HistogramVec
	deadLetters *prometheus.CounterVec
	inFlight    *prometheus.GaugeVec
}

// NewMetrics creates the bus metrics and registers them on reg. A nil reg
// gives metrics that are kept but not exported.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "orderbridge",
			Subsystem: "bus",
			Name:      "published_messages_total",
			Help:      "Messages published, by stream and outcome (stored, duplicate, error).",
		}, []string{"stream", "outcome"}),
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "orderbridge",
			Subsystem: "bus",
			Name:      "handled_messages_total",
			Help:      "Messages a consume loop finished, by consumer and outcome (ack, retry, dead_letter).",
		}, []string{"consumer", "outcome"}),
		handleTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "orderbridge",
			Subsystem: "bus",
			Name:      "handle_duration_seconds",
			Help:      "Time a handler took for one message, by consumer.",
			Buckets:   prometheus.ExponentialBuckets(0.0005, 4, 10),
		}, []string{"consumer"}),
		deadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "orderbridge",
			Subsystem: "bus",
			Name:      "dead_letters_total",
			Help:      "Messages dead-lettered, by stage, document kind and reason.",
		}, []string{"stage", "kind", "reason"}),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "orderbridge",
			Subsystem: "bus",
			Name:      "in_flight_messages",
			Help:      "Messages a consume loop holds unacknowledged, by consumer.",
		}, []string{"consumer"}),
	}
	if reg != nil {
		reg.MustRegister(m.published, m.handled, m.handleTime, m.deadLetters, m.inFlight)
	}
	return m
}
