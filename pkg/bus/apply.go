package bus

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// Missing is the Setting of a Drift that stands for a whole object absent
// from the server, which applying creates.
const Missing = ""

// PlanTopology returns how the streams, consumers and buckets in place
// differ from cfg: a Drift with Setting Missing for each object to create,
// and one for each managed setting to update. It changes nothing. An error
// means an object could not be read.
func PlanTopology(ctx context.Context, js jetstream.JetStream, cfg Config) ([]Drift, error) {
	var plan []Drift

	for _, want := range cfg.Streams() {
		have, err := streamConfig(ctx, js, want.Name)
		if err != nil {
			return nil, err
		}
		if have == nil {
			plan = append(plan, missing("stream "+want.Name))
			continue
		}
		plan = append(plan, StreamDrift(*have, want)...)
	}

	for _, want := range cfg.Consumers() {
		obj := "consumer " + want.Stream + "/" + want.Config.Durable
		c, err := js.Consumer(ctx, want.Stream, want.Config.Durable)
		switch {
		case errors.Is(err, jetstream.ErrConsumerNotFound),
			errors.Is(err, jetstream.ErrStreamNotFound):
			plan = append(plan, missing(obj))
			continue
		case err != nil:
			return nil, fmt.Errorf("bus: %s: %w", obj, err)
		}
		plan = append(plan, ConsumerDrift(want.Stream, c.CachedInfo().Config, want.Config)...)
	}

	for _, want := range cfg.Buckets() {
		have, err := streamConfig(ctx, js, "KV_"+want.Bucket)
		if err != nil {
			return nil, err
		}
		if have == nil {
			plan = append(plan, missing("bucket "+want.Bucket))
			continue
		}
		plan = append(plan, BucketDrift(*have, want)...)
	}
	return plan, nil
}

// ApplyTopology creates the objects of cfg that are missing and updates
// those whose managed settings drifted, and returns the plan it carried out
// (see PlanTopology). Each object is changed on its own; the error joins
// the refusals, such as a setting JetStream cannot change in place (a
// stream's storage), naming the object.
func ApplyTopology(ctx context.Context, js jetstream.JetStream, cfg Config) ([]Drift, error) {
	plan, err := PlanTopology(ctx, js, cfg)
	if err != nil {
		return nil, err
	}
	touched := map[string]bool{}
	for _, d := range plan {
		touched[d.Object] = true
	}

	var errs []error
	for _, want := range cfg.Streams() {
		obj := "stream " + want.Name
		if touched[obj] {
			errs = append(errs, wrapApply(obj, upsertStream(ctx, js, want)))
		}
	}
	for _, want := range cfg.Consumers() {
		obj := "consumer " + want.Stream + "/" + want.Config.Durable
		if touched[obj] {
			_, err := js.CreateOrUpdateConsumer(ctx, want.Stream, want.Config)
			errs = append(errs, wrapApply(obj, err))
		}
	}
	for _, want := range cfg.Buckets() {
		obj := "bucket " + want.Bucket
		if touched[obj] {
			_, err := js.CreateOrUpdateKeyValue(ctx, want)
			errs = append(errs, wrapApply(obj, err))
		}
	}
	return plan, errors.Join(errs...)
}

// BucketDrift lists the settings orderbridge manages in which the stream
// behind a bucket, have, differs from the wanted bucket.
func BucketDrift(have jetstream.StreamConfig, want jetstream.KeyValueConfig) []Drift {
	obj := "bucket " + want.Bucket
	var d []Drift
	add := func(setting string, h, w any) {
		if fmt.Sprint(h) != fmt.Sprint(w) {
			d = append(d, Drift{obj, setting, fmt.Sprint(h), fmt.Sprint(w)})
		}
	}
	add("history", have.MaxMsgsPerSubject, int64(want.History))
	add("ttl", have.MaxAge, want.TTL)
	add("storage", have.Storage, want.Storage)
	add("replicas", have.Replicas, want.Replicas)
	return d
}

func missing(obj string) Drift {
	return Drift{Object: obj, Setting: Missing, Have: "missing", Want: "created"}
}

// streamConfig returns the configuration of the named stream, or nil when
// there is none.
func streamConfig(
	ctx context.Context,
	js jetstream.JetStream,
	name string,
) (*jetstream.StreamConfig, error) {
	s, err := js.Stream(ctx, name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("bus: stream %s: %w", name, err)
	}
	cfg := s.CachedInfo().Config
	return &cfg, nil
}

func upsertStream(ctx context.Context, js jetstream.JetStream, want jetstream.StreamConfig) error {
	_, err := js.UpdateStream(ctx, want)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		_, err = js.CreateStream(ctx, want)
	}
	return err
}

func wrapApply(obj string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("bus: apply %s: %w", obj, err)
}
