package admin

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// busFigures are the bus figures one scrape reads.
type busFigures struct {
	streams   []streamFigures
	consumers []consumerFigures
}

type streamFigures struct {
	name                         string
	messages, bytes, first, last uint64
}

type consumerFigures struct {
	stream, name                               string
	pending, ackPending, redelivered, ackFloor uint64
	oldestUnacked                              float64
}

// metrics are the admin's Prometheus metrics.
type metrics struct {
	read func(context.Context) (busFigures, error)

	streamMessages, streamBytes, streamFirst, streamLast       *prometheus.Desc
	consPending, consAckPending, consRedelivered, consAckFloor *prometheus.Desc
	consOldest, scrapeErrors                                   *prometheus.Desc

	reconcileDiffs *prometheus.GaugeVec
	reconcileTime  prometheus.Gauge
	reconcileRuns  *prometheus.CounterVec
}

func newMetrics(
	reg prometheus.Registerer,
	read func(context.Context) (busFigures, error),
) *metrics {
	desc := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(
			prometheus.BuildFQName("orderbridge", "admin", name), help, labels, nil)
	}
	s, c := []string{"stream"}, []string{"stream", "consumer"}
	m := &metrics{
		read:           read,
		streamMessages: desc("stream_messages", "Messages a stream holds.", s...),
		streamBytes:    desc("stream_bytes", "Bytes a stream holds.", s...),
		streamFirst:    desc("stream_first_sequence", "A stream's first sequence.", s...),
		streamLast:     desc("stream_last_sequence", "A stream's last sequence.", s...),
		consPending: desc("consumer_pending_messages",
			"Messages not yet delivered to a durable consumer.", c...),
		consAckPending: desc("consumer_ack_pending_messages",
			"Messages delivered and not yet acknowledged.", c...),
		consRedelivered: desc("consumer_redelivered_messages",
			"Messages delivered more than once and not yet acknowledged.", c...),
		consAckFloor: desc("consumer_ack_floor_sequence",
			"The stream sequence below which a consumer has acknowledged everything.", c...),
		consOldest: desc("consumer_oldest_unacked_age_seconds",
			"Age of the oldest message a consumer has not acknowledged; 0 when none.", c...),
		scrapeErrors: desc("bus_scrape_errors",
			"1 when the last scrape could not read the bus, else 0."),
		reconcileDiffs: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "orderbridge", Subsystem: "admin",
			Name: "reconcile_differences",
			Help: "Differences the last reconcile found, by kind " +
				"(missing, extra, duplicated, differing).",
		}, []string{"kind"}),
		reconcileTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "orderbridge", Subsystem: "admin",
			Name: "reconcile_last_success_timestamp_seconds",
			Help: "When a reconcile last finished, in Unix seconds.",
		}),
		reconcileRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "orderbridge", Subsystem: "admin",
			Name: "reconcile_runs_total",
			Help: "Reconcile runs, by outcome (ok, error).",
		}, []string{"outcome"}),
	}
	for _, k := range diffKinds {
		m.reconcileDiffs.WithLabelValues(k)
	}
	if reg != nil {
		reg.MustRegister(m, m.reconcileDiffs, m.reconcileTime, m.reconcileRuns)
	}
	return m
}

// Describe implements prometheus.Collector.
func (m *metrics) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		m.streamMessages, m.streamBytes, m.streamFirst, m.streamLast,
		m.consPending, m.consAckPending, m.consRedelivered, m.consAckFloor,
		m.consOldest, m.scrapeErrors,
	} {
		ch <- d
	}
}

// Collect implements prometheus.Collector: it reads the bus on each
// scrape, so the figures are never older than the scrape.
func (m *metrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	f, err := m.read(ctx)
	failed := 0.0
	if err != nil {
		failed = 1
	}
	ch <- prometheus.MustNewConstMetric(m.scrapeErrors, prometheus.GaugeValue, failed)

	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	for _, s := range f.streams {
		gauge(m.streamMessages, float64(s.messages), s.name)
		gauge(m.streamBytes, float64(s.bytes), s.name)
		gauge(m.streamFirst, float64(s.first), s.name)
		gauge(m.streamLast, float64(s.last), s.name)
	}
	for _, c := range f.consumers {
		gauge(m.consPending, float64(c.pending), c.stream, c.name)
		gauge(m.consAckPending, float64(c.ackPending), c.stream, c.name)
		gauge(m.consRedelivered, float64(c.redelivered), c.stream, c.name)
		gauge(m.consAckFloor, float64(c.ackFloor), c.stream, c.name)
		gauge(m.consOldest, c.oldestUnacked, c.stream, c.name)
	}
}

// collectBus reads the figures of every stream and durable consumer.
func (s *Server) collectBus(ctx context.Context) (busFigures, error) {
	streams, consumers, err := s.streams(ctx, s.d.Now())
	var f busFigures
	for _, st := range streams {
		f.streams = append(f.streams, streamFigures{
			name: st.Name, messages: st.Messages, bytes: st.Bytes,
			first: st.FirstSeq, last: st.LastSeq,
		})
	}
	for _, c := range consumers {
		f.consumers = append(f.consumers, consumerFigures{
			stream: c.Stream, name: c.Name, pending: c.Pending,
			ackPending: c.AckPending, redelivered: c.Redelivered,
			ackFloor: c.AckFloorSeq, oldestUnacked: c.OldestUnackedAge.AsDuration().Seconds(),
		})
	}
	return f, err
}
