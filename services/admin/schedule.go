package admin

import (
	"context"
	"errors"
	"time"
)

// Schedule is when scheduled reconciles run.
type Schedule struct {
	// Every is the pause between runs; 0 turns the schedule off.
	Every time.Duration
	// Window is the range each run covers, ending Delay before the run.
	Window, Delay time.Duration
}

// RunSchedule reconciles every sc.Every until ctx ends, logging each
// run's differences, so that orderbridge_admin_reconcile_differences stays
// current for alerts. Without JST and Kingdee clients or with Every 0 it
// returns nil at once.
func (s *Server) RunSchedule(ctx context.Context, sc Schedule) error {
	if sc.Every <= 0 || s.d.JST == nil || s.d.Kingdee == nil {
		s.d.Log.Info("scheduled reconcile off")
		return nil
	}
	t := time.NewTicker(sc.Every)
	defer t.Stop()
	for {
		end := s.d.Now().Add(-sc.Delay)
		rep, err := s.RunReconcile(ctx, end.Add(-sc.Window), end)
		switch {
		case errors.Is(err, context.Canceled):
			return nil
		case err != nil:
			s.d.Log.Error("scheduled reconcile failed", "err", err)
		default:
			s.d.Log.Info("scheduled reconcile",
				"expected", rep.Expected, "found", rep.Found,
				"missing", len(rep.Missing), "extra", len(rep.Extra),
				"duplicated", len(rep.Duplicated), "differing", len(rep.Differing))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
