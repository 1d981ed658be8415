package admin

import (
	"context"
	"errors"

	"github.com/orderbridge/orderbridge/pkg/bus"
	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
)

// ApplyTopology returns how the streams, consumers and buckets differ from
// the configured topology and, unless dry_run, creates and updates them.
// Changes JetStream refuses are listed in errors; the others are applied.
func (s *Server) ApplyTopology(
	ctx context.Context,
	req *adminv1.ApplyTopologyRequest,
) (*adminv1.ApplyTopologyResponse, error) {
	plan, err := bus.PlanTopology(ctx, s.d.JS, s.d.Topology)
	if err != nil {
		return nil, internal("topology", err)
	}
	out := &adminv1.ApplyTopologyResponse{Changes: changes(plan)}
	if req.GetDryRun() || len(plan) == 0 {
		return out, nil
	}

	if err := s.audit(ctx, ActionTopology, out.Changes); err != nil {
		return nil, err
	}
	_, err = bus.ApplyTopology(ctx, s.d.JS, s.d.Topology)
	out.Applied = true
	var joined interface{ Unwrap() []error }
	switch {
	case errors.As(err, &joined):
		for _, e := range joined.Unwrap() {
			out.Errors = append(out.Errors, e.Error())
		}
	case err != nil:
		out.Errors = append(out.Errors, err.Error())
	}
	return out, nil
}

func changes(plan []bus.Drift) []*adminv1.TopologyChange {
	out := make([]*adminv1.TopologyChange, 0, len(plan))
	for _, d := range plan {
		out = append(out, &adminv1.TopologyChange{
			Object: d.Object, Setting: d.Setting, Have: d.Have, Want: d.Want,
		})
	}
	return out
}
