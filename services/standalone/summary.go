package standalone

import (
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Summary is what a run did, counted from the process's metrics.
type Summary struct {
	// Polled is the documents the poller stored in JST_RAW (not counting
	// those the stream already held).
	Polled int
	// Transformed is the canonical documents published to CANON.
	Transformed int
	// Filtered is the documents the mapping rules left out on purpose.
	Filtered int
	// Posted is the documents brought to Kingdee: created, updated, or found
	// there after an unknown outcome.
	Posted int
	// DeadLettered is the documents sent to the DLQ stream by any stage.
	DeadLettered int
	Elapsed      time.Duration
}

// sameCounts reports whether s and o differ only in elapsed time.
func (s Summary) sameCounts(o Summary) bool {
	s.Elapsed, o.Elapsed = 0, 0
	return s == o
}

func (p *Pipeline) summary() Summary {
	g := gathered(p.proc.Registry)
	return Summary{
		Polled:      g.sum("orderbridge_poller_documents_published_total", "outcome", "stored"),
		Transformed: g.sum("orderbridge_transformer_documents_total", "outcome", "published"),
		Filtered:    g.sum("orderbridge_transformer_documents_total", "outcome", "filtered"),
		Posted: g.sum("orderbridge_writer_documents_total", "outcome",
			"posted", "updated", "verified"),
		DeadLettered: g.sum("orderbridge_bus_dead_letters_total", "", "") +
			g.sum("orderbridge_poller_documents_published_total", "outcome", "dead_letter"),
		Elapsed: time.Since(p.start),
	}
}

// counters maps a metric name to its counter samples.
type counters map[string][]sample

type sample struct {
	labels map[string]string
	value  float64
}

func gathered(g prometheus.Gatherer) counters {
	out := counters{}
	mfs, err := g.Gather()
	if err != nil {
		return out
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			if m.GetCounter() == nil {
				continue
			}
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			out[mf.GetName()] = append(out[mf.GetName()], sample{labels, m.GetCounter().GetValue()})
		}
	}
	return out
}

// sum adds the samples of name whose label has one of values; an empty
// label adds them all.
func (c counters) sum(name, label string, values ...string) int {
	total := 0.0
	for _, s := range c[name] {
		if label == "" || slices.Contains(values, s.labels[label]) {
			total += s.value
		}
	}
	return int(total)
}
