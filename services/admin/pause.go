package admin

import (
	"context"
	"strings"

	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/control"
	"github.com/orderbridge/orderbridge/pkg/jst"
	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
)

// SetPause pauses or resumes polling of a shop (scope poller) or posting
// to a Kingdee form (scope writer); target "all" covers the whole scope.
// It returns the pauses in force afterwards.
func (s *Server) SetPause(
	ctx context.Context,
	req *adminv1.SetPauseRequest,
) (*adminv1.SetPauseResponse, error) {
	scope, target := req.GetScope(), strings.TrimSpace(req.GetTarget())
	if scope != control.ScopePoller && scope != control.ScopeWriter {
		return nil, invalid("scope %q: pause the %s (a shop) or the %s (a form)",
			scope, control.ScopePoller, control.ScopeWriter)
	}
	if target == "" || !jst.SafeToken(target) {
		return nil, invalid("target %q: give a shop id, a form id such as SAL_SaleOrder, or %s",
			target, control.AllTargets)
	}
	err := s.audit(ctx, ActionPause, map[string]any{
		"scope": scope, "target": target, "paused": req.GetPaused(), "reason": req.GetReason(),
	})
	if err != nil {
		return nil, err
	}

	kv, err := s.d.JS.KeyValue(ctx, bus.BucketState)
	if err != nil {
		return nil, internal("pause", err)
	}
	reason := req.GetReason()
	if reason == "" {
		reason = "paused by " + CallerOf(ctx).Actor
	}
	if err := control.SetPause(ctx, kv, scope, target, req.GetPaused(), reason); err != nil {
		return nil, internal("pause", err)
	}
	all, err := pauses(ctx, kv)
	if err != nil {
		return nil, internal("pause", err)
	}
	return &adminv1.SetPauseResponse{Pauses: all}, nil
}
