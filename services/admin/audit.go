package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Audited actions, the last tokens of their subjects ob.audit.<action>.
const (
	ActionReplay      = "replay"
	ActionReplayForce = "replay.force"
	ActionRedrive     = "dlq.redrive"
	ActionPurge       = "dlq.purge"
	ActionReveal      = "dlq.reveal"
	ActionPause       = "pause"
	ActionTopology    = "topology.apply"
	ActionBackfill    = "backfill"
)

// auditEntry is the JSON body of an audit record.
type auditEntry struct {
	Time      time.Time `json:"time"`
	Actor     string    `json:"actor"`
	Principal string    `json:"principal"`
	Action    string    `json:"action"`
	Details   any       `json:"details,omitempty"`
}

// audit records that the caller of ctx does action with details, and
// returns a status refusing the action when the record cannot be stored:
// nothing is done that the trail does not show.
func (s *Server) audit(ctx context.Context, action string, details any) error {
	c := CallerOf(ctx)
	e := auditEntry{
		Time: s.d.Now().UTC(), Actor: c.Actor, Principal: c.Principal,
		Action: action, Details: details,
	}
	b, err := json.Marshal(e)
	if err != nil {
		return status.Errorf(codes.Internal, "audit %s: %v", action, err)
	}
	if _, err := s.d.Publisher.Publish(ctx, bus.AuditSubjectPrefix+action, b, "", nil); err != nil {
		return status.Errorf(codes.Unavailable,
			"cannot record %s in the audit stream %s, so it was not done: %v; "+
				"check the stream with obctl status or obctl topology apply",
			action, bus.StreamAudit, err)
	}
	s.d.Log.Info("admin action", "action", action, "actor", c.Actor, "principal", c.Principal)
	return nil
}

// ListAudit returns the latest audit records, oldest first.
func (s *Server) ListAudit(
	ctx context.Context,
	req *adminv1.ListAuditRequest,
) (*adminv1.ListAuditResponse, error) {
	limit := int(req.GetLimit())
	if limit <= 0 {
		limit = 100
	}
	subject := bus.AuditSubjectPrefix + ">"
	if a := strings.TrimSpace(req.GetAction()); a != "" {
		subject = bus.AuditSubjectPrefix + a
	}
	spec := scanSpec{Stream: bus.StreamAudit, Subjects: []string{subject}}
	if req.GetSince() != nil {
		spec.FromTime = req.GetSince().AsTime()
	}

	var out []*adminv1.AuditRecord
	err := scan(ctx, s.d.JS, spec, func(m jetstream.Msg, meta *jetstream.MsgMetadata) bool {
		out = append(out, auditRecord(m, meta))
		if len(out) > limit {
			out = out[1:]
		}
		return true
	})
	if err != nil {
		return nil, internal("list audit", err)
	}
	return &adminv1.ListAuditResponse{Records: out}, nil
}

func auditRecord(m jetstream.Msg, meta *jetstream.MsgMetadata) *adminv1.AuditRecord {
	var e struct {
		Time      time.Time       `json:"time"`
		Actor     string          `json:"actor"`
		Principal string          `json:"principal"`
		Action    string          `json:"action"`
		Details   json.RawMessage `json:"details"`
	}
	r := &adminv1.AuditRecord{Seq: meta.Sequence.Stream}
	if err := json.Unmarshal(m.Data(), &e); err != nil {
		r.Action = strings.TrimPrefix(m.Subject(), bus.AuditSubjectPrefix)
		r.Details = fmt.Sprintf("undecodable record: %v", err)
		r.Time = timestamppb.New(meta.Timestamp)
		return r
	}
	r.Time, r.Actor, r.Principal = timestamppb.New(e.Time), e.Actor, e.Principal
	r.Action, r.Details = e.Action, string(e.Details)
	return r
}
