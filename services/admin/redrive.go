package admin

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"google.golang.org/grpc"
)

// dlqDetails is what the audit trail records of a redrive or a purge.
type dlqDetails struct {
	ID     string   `json:"id,omitempty"`
	Stage  string   `json:"stage,omitempty"`
	Reason string   `json:"reason,omitempty"`
	Kind   string   `json:"kind,omitempty"`
	Since  string   `json:"since,omitempty"`
	Until  string   `json:"until,omitempty"`
	Seqs   []uint64 `json:"seqs,omitempty"`
	All    bool     `json:"all,omitempty"`
	DryRun bool     `json:"dry_run,omitempty"`
}

func details(f dlqFilter, all bool) dlqDetails {
	d := dlqDetails{Stage: f.stage, Reason: f.reason, Kind: f.kind, Seqs: f.seqs, All: all}
	if !f.since.IsZero() {
		d.Since = f.since.UTC().Format(time.RFC3339)
	}
	if !f.until.IsZero() {
		d.Until = f.until.UTC().Format(time.RFC3339)
	}
	return d
}

// RedriveDeadLetters publishes each selected dead letter again on the
// subject it failed on, with a fresh message id and Ob-Replay set, and
// deletes it from the DLQ stream once the publish is stored. A dead letter
// with no origin subject (the poller's malformed documents) is skipped.
// An empty filter needs all.
func (s *Server) RedriveDeadLetters(
	req *adminv1.RedriveDeadLettersRequest,
	out grpc.ServerStreamingServer[adminv1.RedriveDeadLettersResponse],
) error {
	ctx := out.Context()
	f := newDLQFilter(req.GetFilter())
	if f.empty() && !req.GetAll() {
		return invalid("name what to redrive: --seq, --stage, --reason, --kind, " +
			"--since/--until, or --all for every dead letter")
	}
	d := details(f, req.GetAll())
	d.ID = "redrive-" + strconv.FormatInt(s.d.Now().UnixNano(), 10)
	d.DryRun = req.GetDryRun()
	if err := s.audit(ctx, ActionRedrive, d); err != nil {
		return err
	}

	str, err := s.d.JS.Stream(ctx, bus.StreamDLQ)
	if err != nil {
		return internal("redrive", err)
	}
	p := &adminv1.RedriveDeadLettersResponse{Id: d.ID}
	nanos := s.d.Now().UnixNano()
	progress := throttle(func() { _ = out.Send(p) })
	var opErr error

	err = scan(ctx, s.d.JS, f.spec(false), func(m jetstream.Msg, meta *jetstream.MsgMetadata) bool {
		if !f.match(m, meta) {
			return true
		}
		p.Total++
		seq := meta.Sequence.Stream
		origin := m.Headers().Get(bus.HeaderOriginSubject)
		if origin == "" {
			p.Skipped++
			p.SkippedReasons = append(p.SkippedReasons, fmt.Sprintf(
				"seq %d (%s): no origin subject to send it back to; fix the "+
					"document at its source, then purge it", seq, m.Headers().Get(bus.HeaderReason)))
			return true
		}
		if !req.GetDryRun() {
			if opErr = s.redriveOne(ctx, str, m, seq, d.ID, nanos+int64(p.Total)); opErr != nil {
				return false
			}
		}
		p.Redriven++
		progress()
		return true
	})
	if err == nil {
		err = opErr
	}
	if err != nil {
		return internal(fmt.Sprintf("redrive %s stopped after %d", d.ID, p.Redriven), err)
	}
	p.Done = true
	return out.Send(p)
}

// redriveOne publishes one dead letter back and deletes it.
func (s *Server) redriveOne(
	ctx context.Context,
	str jetstream.Stream,
	m jetstream.Msg,
	seq uint64,
	id string,
	nanos int64,
) error {
	h := m.Headers()
	origin := h.Get(bus.HeaderOriginSubject)
	msgID := bus.ReplayMsgID("", h.Get(bus.HeaderOriginStream),
		parseSeq(h.Get(bus.HeaderOriginSeq)), nanos)
	hdr := bus.ReplayHeaders(h, id, false)
	if _, err := s.d.Publisher.Publish(ctx, origin, m.Data(), msgID, hdr); err != nil {
		return err
	}
	err := str.DeleteMsg(ctx, seq)
	if err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
		return fmt.Errorf("delete dead letter %d after redriving it: %w", seq, err)
	}
	return nil
}

func parseSeq(s string) uint64 {
	n, _ := strconv.ParseUint(s, 10, 64)
	return n
}

// PurgeDeadLetters deletes the selected dead letters, or all of them. It
// needs confirm, and all for an empty filter.
func (s *Server) PurgeDeadLetters(
	ctx context.Context,
	req *adminv1.PurgeDeadLettersRequest,
) (*adminv1.PurgeDeadLettersResponse, error) {
	f := newDLQFilter(req.GetFilter())
	if f.empty() && !req.GetAll() {
		return nil, invalid("name what to purge: --seq, --stage, --reason, --kind, " +
			"--since/--until, or --all for every dead letter")
	}
	if !req.GetConfirm() {
		return nil, invalid("purging deletes dead letters for good: confirm it " +
			"(obctl asks, or pass --yes)")
	}
	if err := s.audit(ctx, ActionPurge, details(f, req.GetAll())); err != nil {
		return nil, err
	}
	str, err := s.d.JS.Stream(ctx, bus.StreamDLQ)
	if err != nil {
		return nil, internal("purge", err)
	}

	if f.empty() {
		n := str.CachedInfo().State.Msgs
		if err := str.Purge(ctx); err != nil {
			return nil, internal("purge", err)
		}
		return &adminv1.PurgeDeadLettersResponse{Purged: n}, nil
	}
	var seqs []uint64
	err = scan(ctx, s.d.JS, f.spec(true), func(m jetstream.Msg, meta *jetstream.MsgMetadata) bool {
		if f.match(m, meta) {
			seqs = append(seqs, meta.Sequence.Stream)
		}
		return true
	})
	if err != nil {
		return nil, internal("purge", err)
	}
	out := &adminv1.PurgeDeadLettersResponse{}
	for _, seq := range seqs {
		err := str.DeleteMsg(ctx, seq)
		if err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
			return out, internal(fmt.Sprintf("purge stopped after %d", out.Purged), err)
		}
		out.Purged++
	}
	return out, nil
}
