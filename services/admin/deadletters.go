package admin

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// dlqFilter is a DeadLetterFilter ready to match headers.
type dlqFilter struct {
	stage, reason, kind string
	since, until        time.Time
	seqs                []uint64
}

func newDLQFilter(f *adminv1.DeadLetterFilter) dlqFilter {
	d := dlqFilter{
		stage: f.GetStage(), reason: f.GetReason(), kind: f.GetKind(),
		seqs: slices.Clone(f.GetSeqs()),
	}
	if f.GetSince() != nil {
		d.since = f.GetSince().AsTime()
	}
	if f.GetUntil() != nil {
		d.until = f.GetUntil().AsTime()
	}
	slices.Sort(d.seqs)
	return d
}

// empty reports whether the filter selects every dead letter.
func (f dlqFilter) empty() bool {
	return f.stage == "" && f.reason == "" && f.kind == "" &&
		f.since.IsZero() && f.until.IsZero() && len(f.seqs) == 0
}

// spec is the scan that reads the candidates of the filter.
func (f dlqFilter) spec(headersOnly bool) scanSpec {
	s := scanSpec{Stream: bus.StreamDLQ, HeadersOnly: headersOnly, FromTime: f.since}
	stage, kind := "*", "*"
	if f.stage != "" {
		stage = f.stage
	}
	if f.kind != "" {
		kind = f.kind
	}
	if f.stage != "" || f.kind != "" {
		s.Subjects = []string{"dlq." + stage + "." + kind}
	}
	if len(f.seqs) > 0 {
		s.FromSeq, s.ToSeq, s.FromTime = f.seqs[0], f.seqs[len(f.seqs)-1], time.Time{}
	}
	return s
}

func (f dlqFilter) match(m jetstream.Msg, meta *jetstream.MsgMetadata) bool {
	h := m.Headers()
	switch {
	case len(f.seqs) > 0 && !slices.Contains(f.seqs, meta.Sequence.Stream):
		return false
	case f.reason != "" && h.Get(bus.HeaderReason) != f.reason:
		return false
	case !f.since.IsZero() && meta.Timestamp.Before(f.since):
		return false
	case !f.until.IsZero() && meta.Timestamp.After(f.until):
		return false
	}
	return true
}

// ListDeadLetters lists the dead letters that pass the filter, oldest
// first, up to the limit.
func (s *Server) ListDeadLetters(
	ctx context.Context,
	req *adminv1.ListDeadLettersRequest,
) (*adminv1.ListDeadLettersResponse, error) {
	limit := int(req.GetLimit())
	if limit <= 0 {
		limit = 100
	}
	f := newDLQFilter(req.GetFilter())
	out := &adminv1.ListDeadLettersResponse{}
	err := scan(ctx, s.d.JS, f.spec(true), func(m jetstream.Msg, meta *jetstream.MsgMetadata) bool {
		if !f.match(m, meta) {
			return true
		}
		if len(out.DeadLetters) == limit {
			out.More = true
			return false
		}
		d := summary(m.Subject(), m.Headers(), meta.Sequence.Stream, meta.Timestamp)
		out.DeadLetters = append(out.DeadLetters, d)
		return true
	})
	if err != nil {
		return nil, internal("list dead letters", err)
	}
	return out, nil
}

// summary reads a dead letter's headers.
func summary(
	subject string,
	h nats.Header,
	seq uint64,
	stored time.Time,
) *adminv1.DeadLetterSummary {
	d := &adminv1.DeadLetterSummary{
		Seq: seq, Subject: subject,
		Stage: h.Get(bus.HeaderStage), Reason: h.Get(bus.HeaderReason),
		ErrorClass: h.Get(bus.HeaderErrorClass), DocKey: h.Get(bus.HeaderDocKey),
		OriginStream: h.Get(bus.HeaderOriginStream), OriginSubject: h.Get(bus.HeaderOriginSubject),
		Error: h.Get(bus.HeaderError),
	}
	if toks := strings.Split(subject, "."); len(toks) == 3 {
		d.Kind = toks[2]
	}
	if n, err := strconv.ParseUint(h.Get(bus.HeaderAttempts), 10, 32); err == nil {
		d.Attempts = uint32(n)
	}
	d.OriginSeq, _ = strconv.ParseUint(h.Get(bus.HeaderOriginSeq), 10, 64)
	failed := stored
	if t, err := time.Parse(time.RFC3339, h.Get(bus.HeaderFailedAt)); err == nil {
		failed = t
	}
	d.FailedAt = timestamppb.New(failed)
	return d
}

// GetDeadLetter shows one dead letter: its headers and its payload, with
// buyer fields masked unless reveal is set, which is audited.
func (s *Server) GetDeadLetter(
	ctx context.Context,
	req *adminv1.GetDeadLetterRequest,
) (*adminv1.GetDeadLetterResponse, error) {
	str, err := s.d.JS.Stream(ctx, bus.StreamDLQ)
	if err != nil {
		return nil, internal("show dead letter", err)
	}
	m, err := str.GetMsg(ctx, req.GetSeq())
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, status.Errorf(codes.NotFound,
			"no dead letter at sequence %d: list them with obctl dlq list", req.GetSeq())
	}
	if err != nil {
		return nil, internal("show dead letter", err)
	}
	if req.GetReveal() {
		err := s.audit(ctx, ActionReveal, map[string]any{
			"seq": req.GetSeq(), "doc_key": m.Header.Get(bus.HeaderDocKey),
		})
		if err != nil {
			return nil, err
		}
	}

	out := &adminv1.GetDeadLetterResponse{
		Summary: summary(m.Subject, m.Header, m.Sequence, m.Time),
		Payload: payloadText(m.Subject, m.Data, req.GetReveal()),
	}
	for _, k := range sortedKeys(m.Header) {
		for _, v := range m.Header.Values(k) {
			out.Headers = append(out.Headers, &adminv1.Header{Name: k, Value: v})
		}
	}
	return out, nil
}

// payloadText shows a payload for people: JSON indented, a canonical
// document (writer-stage dead letters) as JSON, anything else quoted; buyer
// fields masked unless reveal.
func payloadText(subject string, data []byte, reveal bool) string {
	if !json.Valid(data) && strings.HasPrefix(subject, "dlq.writer.") {
		var doc obv1.Document
		if proto.Unmarshal(data, &doc) == nil {
			if b, err := protojson.Marshal(&doc); err == nil {
				data = b
			}
		}
	}
	if !json.Valid(data) {
		return strconv.Quote(string(data))
	}
	if !reveal {
		data = maskJSON(data)
	}
	var b strings.Builder
	if err := indentJSON(&b, data); err != nil {
		return string(data)
	}
	return b.String()
}

func sortedKeys(h nats.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
