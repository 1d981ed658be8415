package admin

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/orderbridge/orderbridge/pkg/control"
	"github.com/orderbridge/orderbridge/pkg/jst"
	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// controlTimeout bounds one request to the active poller.
const controlTimeout = 5 * time.Second

// backfillPoll is how often a followed backfill is asked for progress.
const backfillPoll = 500 * time.Millisecond

// Backfill asks the active poller to read a past range again (or, with an
// id, follows one already started) and sends its status; with follow it
// keeps sending until the backfill is done.
func (s *Server) Backfill(
	req *adminv1.BackfillRequest,
	out grpc.ServerStreamingServer[adminv1.BackfillResponse],
) error {
	ctx := out.Context()
	id := req.GetId()
	if id == "" {
		st, err := s.startBackfill(ctx, req)
		if err != nil {
			return err
		}
		if err := out.Send(backfillResponse(st)); err != nil || !req.GetFollow() || st.Done {
			return err
		}
		id = st.ID
	}

	t := time.NewTicker(backfillPoll)
	defer t.Stop()
	for {
		st, err := s.backfillStatus(ctx, id)
		if err != nil {
			return err
		}
		if err := out.Send(backfillResponse(st)); err != nil {
			return err
		}
		if st.Done || !req.GetFollow() {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (s *Server) startBackfill(
	ctx context.Context,
	req *adminv1.BackfillRequest,
) (control.BackfillStatus, error) {
	var st control.BackfillStatus
	kind := req.GetKind()
	if kind != "" && !jst.Kind(kind).Valid() {
		return st, invalid("--kind %q: want order or aftersale, or leave it out for both", kind)
	}
	from, to := req.GetFrom(), req.GetTo()
	if from == nil || to == nil || !from.AsTime().Before(to.AsTime()) {
		return st, invalid("--from and --to are required, --from before --to")
	}
	r := control.BackfillRequest{
		Kind: kind, ShopID: req.GetShopId(),
		From: req.GetFrom().AsTime(), To: req.GetTo().AsTime(),
		RequestedBy: CallerOf(ctx).Actor,
	}
	if err := s.audit(ctx, ActionBackfill, r); err != nil {
		return st, err
	}
	if err := s.request(ctx, control.SubjectBackfill, r, &st); err != nil {
		return st, err
	}
	if st.Error != "" {
		return st, status.Errorf(codes.FailedPrecondition,
			"the poller refused the backfill: %s", st.Error)
	}
	return st, nil
}

func (s *Server) backfillStatus(ctx context.Context, id string) (control.BackfillStatus, error) {
	var all []control.BackfillStatus
	q := control.BackfillQuery{ID: id}
	if err := s.request(ctx, control.SubjectBackfillStatus, q, &all); err != nil {
		return control.BackfillStatus{}, err
	}
	for _, st := range all {
		if st.ID == id {
			return st, nil
		}
	}
	return control.BackfillStatus{}, status.Errorf(codes.NotFound,
		"the active poller knows no backfill %q: it may have restarted; start it again", id)
}

// request sends a JSON request to the active poller and decodes its reply.
func (s *Server) request(ctx context.Context, subject string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return status.Errorf(codes.Internal, "%s: %v", subject, err)
	}
	rctx, cancel := context.WithTimeout(ctx, controlTimeout)
	defer cancel()
	msg, err := s.d.Conn.RequestWithContext(rctx, subject, b)
	if errors.Is(err, nats.ErrNoResponders) || errors.Is(err, context.DeadlineExceeded) {
		return status.Errorf(codes.Unavailable,
			"no active poller answered on %s: check that a poller runs and holds "+
				"the lease (obctl status shows its cursors moving)", subject)
	}
	if err != nil {
		return status.Errorf(codes.Unavailable, "%s: %v", subject, err)
	}
	if err := json.Unmarshal(msg.Data, out); err != nil {
		return status.Errorf(codes.Internal, "%s: undecodable reply: %v", subject, err)
	}
	return nil
}

func backfillResponse(st control.BackfillStatus) *adminv1.BackfillResponse {
	r := &adminv1.BackfillResponse{
		Id: st.ID, Kind: st.Kind, ShopId: st.ShopID,
		Pages: uint32(st.Pages), Documents: uint32(st.Documents),
		Done: st.Done, Error: st.Error,
	}
	if !st.Position.IsZero() {
		r.Position = timestamppb.New(st.Position)
	}
	return r
}
