package poller

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	pages     *prometheus.CounterVec
	published *prometheus.CounterVec
	lag       *prometheus.GaugeVec
	failing   prometheus.Gauge
	waited    prometheus.CounterFunc
}

func newMetrics(reg prometheus.Registerer, waitSeconds func() float64) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "orderbridge", Subsystem: "poller",
			Name: "jst_requests_total",
			Help: "Requests to JST by endpoint and JST code (-1: no JST answer).",
		}, []string{"endpoint", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "orderbridge", Subsystem: "poller",
			Name:    "jst_request_duration_seconds",
			Help:    "Duration of requests to JST by endpoint.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 9),
		}, []string{"endpoint"}),
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "orderbridge", Subsystem: "poller",
			Name: "pages_total",
			Help: "Pages read from JST by document kind.",
		}, []string{"kind"}),
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "orderbridge", Subsystem: "poller",
			Name: "documents_published_total",
			Help: "Documents published to JST_RAW by kind and outcome (stored, duplicate).",
		}, []string{"kind", "outcome"}),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "orderbridge", Subsystem: "poller",
			Name: "checkpoint_lag_seconds",
			Help: "How far each cursor's checkpoint is behind now, by kind and shop.",
		}, []string{"kind", "shop"}),
		failing: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "orderbridge", Subsystem: "poller",
			Name: "failing",
			Help: "1 while polling is failing and being retried, else 0.",
		}),
		waited: prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: "orderbridge", Subsystem: "poller",
			Name: "rate_limit_wait_seconds_total",
			Help: "Seconds spent waiting for the merchant's rate limiter.",
		}, waitSeconds),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.latency, m.pages, m.published, m.lag, m.failing, m.waited)
	}
	return m
}
