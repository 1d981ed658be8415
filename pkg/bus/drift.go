package bus

import (
	"fmt"
	"slices"

	"github.com/nats-io/nats.go/jetstream"
)

// StreamDrift lists the settings orderbridge manages in which have differs
// from want.
func StreamDrift(have, want jetstream.StreamConfig) []Drift {
	obj := "stream " + want.Name
	var d []Drift
	add := func(setting string, h, w any) {
		if fmt.Sprint(h) != fmt.Sprint(w) {
			d = append(d, Drift{obj, setting, fmt.Sprint(h), fmt.Sprint(w)})
		}
	}
	if !slices.Equal(have.Subjects, want.Subjects) {
		add("subjects", have.Subjects, want.Subjects)
	}
	add("retention", have.Retention, want.Retention)
	add("storage", have.Storage, want.Storage)
	add("discard", have.Discard, want.Discard)
	add("max_age", have.MaxAge, want.MaxAge)
	add("duplicate_window", have.Duplicates, want.Duplicates)
	add("replicas", have.Replicas, want.Replicas)
	if want.MaxBytes > 0 {
		add("max_bytes", have.MaxBytes, want.MaxBytes)
	}
	return d
}

// ConsumerDrift lists the settings orderbridge manages in which have differs
// from want.
func ConsumerDrift(stream string, have, want jetstream.ConsumerConfig) []Drift {
	obj := "consumer " + stream + "/" + want.Durable
	var d []Drift
	add := func(setting string, h, w any) {
		if fmt.Sprint(h) != fmt.Sprint(w) {
			d = append(d, Drift{obj, setting, fmt.Sprint(h), fmt.Sprint(w)})
		}
	}
	add("ack_policy", have.AckPolicy, want.AckPolicy)
	add("ack_wait", have.AckWait, want.AckWait)
	add("max_deliver", have.MaxDeliver, want.MaxDeliver)
	add("max_ack_pending", have.MaxAckPending, want.MaxAckPending)
	add("filter_subject", have.FilterSubject, want.FilterSubject)
	return d
}
