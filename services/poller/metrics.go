package poller

import "github.com/prometheus/client_golang/prometheus"

// Values of the mode label.
const (
	modeLive     = "live"
	modeBackfill = "backfill"
)

// metrics are the poller's Prometheus metrics, namespace orderbridge,
// subsystem poller.
type metrics struct {
	requests       *prometheus.CounterVec
	latency        *prometheus.HistogramVec
	pages          *prometheus.CounterVec
	published      *prometheus.CounterVec
	rescans        *prometheus.CounterVec
	rescanLimit    *prometheus.CounterVec
	lag            *prometheus.GaugeVec
	failing        prometheus.Gauge
	merchantPaused prometheus.Gauge
	cursorsPaused  prometheus.Gauge
	leaseHeld      prometheus.Gauge
	refreshes      *prometheus.CounterVec
	backfills      prometheus.Gauge
	waited         prometheus.CounterFunc
}

func newMetrics(reg prometheus.Registerer, waitSeconds func() float64) *metrics {
	opts := func(name, help string) prometheus.Opts {
		return prometheus.Opts{
			Namespace: "orderbridge", Subsystem: "poller", Name: name, Help: help,
		}
	}
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts(opts(name, help)), labels)
	}
	gauge := func(name, help string) prometheus.Gauge {
		return prometheus.NewGauge(prometheus.GaugeOpts(opts(name, help)))
	}

	m := &metrics{
		requests: counter("jst_requests_total",
			"Requests to JST by endpoint and JST code (-1: no JST answer).",
			"endpoint", "code"),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "orderbridge", Subsystem: "poller",
			Name:    "jst_request_duration_seconds",
			Help:    "Duration of requests to JST by endpoint.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 9),
		}, []string{"endpoint"}),
		pages: counter("pages_total",
			"Pages read from JST by document kind and mode (live, backfill).",
			"kind", "mode"),
		published: counter("documents_published_total",
			"Documents published by kind, mode and outcome "+
				"(stored, duplicate: dropped by the stream, dead_letter).",
			"kind", "mode", "outcome"),
		rescans: counter("window_rescans_total",
			"Windows read again because they changed while being read.", "kind"),
		rescanLimit: counter("window_rescan_limit_total",
			"Windows still changing after POLL_RESCAN_MAX re-reads.", "kind"),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts(opts("checkpoint_lag_seconds",
			"How far each cursor's checkpoint is behind now, by kind and shop.")),
			[]string{"kind", "shop"}),
		failing: gauge("failing",
			"1 while JST requests fail and are being retried, else 0."),
		merchantPaused: gauge("merchant_paused",
			"1 while polling is stopped by a fault of the app or merchant "+
				"(JST codes 10, 100, 110, 140, 150, 190 or a failed token refresh); alert on it."),
		cursorsPaused: gauge("cursors_paused",
			"Cursors skipped because their shop, or all, is paused."),
		leaseHeld: gauge("lease_held",
			"1 while this poller holds the merchant's lease and polls."),
		refreshes: counter("token_refreshes_total",
			"Access token refreshes by outcome (ok, failed).", "outcome"),
		backfills: gauge("backfills_running", "Backfills in progress."),
		waited: prometheus.NewCounterFunc(prometheus.CounterOpts(opts(
			"rate_limit_wait_seconds_total",
			"Seconds spent waiting for the merchant's rate limiter.")), waitSeconds),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.latency, m.pages, m.published, m.rescans,
			m.rescanLimit, m.lag, m.failing, m.merchantPaused, m.cursorsPaused,
			m.leaseHeld, m.refreshes, m.backfills, m.waited)
	}
	return m
}
