package admin

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/control"
	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// GetStatus reports the pipeline's state.
func (s *Server) GetStatus(
	ctx context.Context,
	req *adminv1.GetStatusRequest,
) (*adminv1.GetStatusResponse, error) {
	now := s.d.Now()
	out := &adminv1.GetStatusResponse{Time: timestamppb.New(now)}
	var err error

	if out.Streams, out.Consumers, err = s.streams(ctx, now); err != nil {
		return nil, internal("status: streams", err)
	}
	state, err := s.d.JS.KeyValue(ctx, bus.BucketState)
	if err != nil {
		return nil, internal("status: "+bus.BucketState, err)
	}
	if out.Cursors, err = cursors(ctx, state, now); err != nil {
		return nil, internal("status: cursors", err)
	}
	if out.Pauses, err = pauses(ctx, state); err != nil {
		return nil, internal("status: pauses", err)
	}
	if !req.GetSkipLedger() {
		if out.LedgerStates, err = s.ledgerStates(ctx); err != nil {
			return nil, internal("status: ledger", err)
		}
	}
	if out.DeadLetterReasons, err = s.deadLetterReasons(ctx); err != nil {
		return nil, internal("status: dead letters", err)
	}
	return out, nil
}

// streams reads every stream of the topology and every consumer on them.
func (s *Server) streams(
	ctx context.Context,
	now time.Time,
) ([]*adminv1.StreamStatus, []*adminv1.ConsumerStatus, error) {
	var streams []*adminv1.StreamStatus
	var consumers []*adminv1.ConsumerStatus
	for _, cfg := range s.d.Topology.Streams() {
		str, err := s.d.JS.Stream(ctx, cfg.Name)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		st := str.CachedInfo().State
		streams = append(streams, &adminv1.StreamStatus{
			Name: cfg.Name, Messages: st.Msgs, Bytes: st.Bytes,
			FirstSeq: st.FirstSeq, LastSeq: st.LastSeq,
			FirstTime: timestamppb.New(st.FirstTime), LastTime: timestamppb.New(st.LastTime),
		})

		lister := str.ListConsumers(ctx)
		for ci := range lister.Info() {
			if ci.Config.Durable == "" {
				continue // scans and other ephemeral readers
			}
			cs := consumerStatus(cfg.Name, ci)
			cs.OldestUnackedAge = oldestUnacked(ctx, str, ci, now)
			consumers = append(consumers, cs)
		}
		if err := lister.Err(); err != nil {
			return nil, nil, err
		}
	}
	return streams, consumers, nil
}

func consumerStatus(stream string, ci *jetstream.ConsumerInfo) *adminv1.ConsumerStatus {
	return &adminv1.ConsumerStatus{
		Stream:       stream,
		Name:         ci.Name,
		Pending:      ci.NumPending,
		AckPending:   uint64(ci.NumAckPending),
		Redelivered:  uint64(ci.NumRedelivered),
		AckFloorSeq:  ci.AckFloor.Stream,
		DeliveredSeq: ci.Delivered.Stream,
	}
}

// oldestUnacked is the age of the first message past the consumer's ack
// floor, or nil when the consumer has acknowledged everything.
func oldestUnacked(
	ctx context.Context,
	str jetstream.Stream,
	ci *jetstream.ConsumerInfo,
	now time.Time,
) *durationpb.Duration {
	if ci.NumPending == 0 && ci.NumAckPending == 0 {
		return nil
	}
	subject := ci.Config.FilterSubject
	if subject == "" {
		subject = ">"
	}
	m, err := str.GetMsg(ctx, ci.AckFloor.Stream+1, jetstream.WithGetMsgSubject(subject))
	if err != nil {
		return nil
	}
	return durationpb.New(max(now.Sub(m.Time), 0))
}

// cursors reads the poller checkpoints in ob-state.
func cursors(
	ctx context.Context,
	kv jetstream.KeyValue,
	now time.Time,
) ([]*adminv1.CursorStatus, error) {
	var out []*adminv1.CursorStatus
	err := latest(ctx, kv, "checkpoint.>", func(e jetstream.KeyValueEntry) {
		var cp struct {
			Modified time.Time `json:"modified"`
			Updated  time.Time `json:"updated"`
		}
		_ = json.Unmarshal(e.Value(), &cp)
		c := &adminv1.CursorStatus{Key: e.Key(), Position: timestamppb.New(cp.Modified)}
		if toks := strings.SplitN(e.Key(), ".", 3); len(toks) == 3 {
			c.Kind, c.Shop = toks[1], toks[2]
		}
		if !cp.Modified.IsZero() {
			c.Lag = durationpb.New(now.Sub(cp.Modified))
		}
		if !cp.Updated.IsZero() {
			c.Updated = timestamppb.New(cp.Updated)
		}
		out = append(out, c)
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, err
}

// pauses lists the pause flags in ob-state.
func pauses(ctx context.Context, kv jetstream.KeyValue) ([]*adminv1.Pause, error) {
	var out []*adminv1.Pause
	err := latest(ctx, kv, control.PauseKey("*", "*"), func(e jetstream.KeyValueEntry) {
		if toks := strings.SplitN(e.Key(), ".", 3); len(toks) == 3 {
			out = append(out, &adminv1.Pause{
				Scope: toks[1], Target: toks[2], Reason: string(e.Value()),
			})
		}
	})
	sort.Slice(out, func(i, j int) bool {
		return out[i].Scope+out[i].Target < out[j].Scope+out[j].Target
	})
	return out, err
}

// ledgerStates counts ledger entries by state, reading the latest value of
// every key in one pass.
func (s *Server) ledgerStates(ctx context.Context) ([]*adminv1.Count, error) {
	counts := map[string]uint64{}
	err := eachLedgerEntry(ctx, s.d.JS, func(_ string, e ledgerEntry) {
		counts[string(e.State)]++
	})
	if err != nil {
		return nil, err
	}
	return sortedCounts(counts), nil
}

// deadLetterReasons counts dead letters by stage and reason.
func (s *Server) deadLetterReasons(ctx context.Context) ([]*adminv1.Count, error) {
	counts := map[string]uint64{}
	spec := scanSpec{Stream: bus.StreamDLQ, HeadersOnly: true}
	err := scan(ctx, s.d.JS, spec, func(m jetstream.Msg, _ *jetstream.MsgMetadata) bool {
		h := m.Headers()
		counts[h.Get(bus.HeaderStage)+"/"+h.Get(bus.HeaderReason)]++
		return true
	})
	if err != nil {
		return nil, err
	}
	return sortedCounts(counts), nil
}

func sortedCounts(m map[string]uint64) []*adminv1.Count {
	out := make([]*adminv1.Count, 0, len(m))
	for k, v := range m {
		out = append(out, &adminv1.Count{Name: k, Count: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
