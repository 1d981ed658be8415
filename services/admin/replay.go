package admin

import (
	"context"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"google.golang.org/grpc"
)

// progressEvery is how often a long action reports progress.
const progressEvery = 200 * time.Millisecond

// throttle returns a function that calls send at most once every
// progressEvery; a long action calls it after each step.
func throttle(send func()) func() {
	last := time.Now()
	return func() {
		if time.Since(last) >= progressEvery {
			last = time.Now()
			send()
		}
	}
}

// replayDetails is what the audit trail records of a replay.
type replayDetails struct {
	ID      string `json:"id"`
	Stream  string `json:"stream"`
	FromSeq uint64 `json:"from_seq"`
	ToSeq   uint64 `json:"to_seq"`
	Subject string `json:"subject,omitempty"`
	DryRun  bool   `json:"dry_run,omitempty"`
	Force   bool   `json:"force,omitempty"`
	// AllVersions replays superseded messages too.
	AllVersions bool `json:"all_versions,omitempty"`
}

// Replay republishes a range of JST_RAW or CANON on the same subjects with
// fresh message ids and Ob-Replay set, so that the transformer or the
// writer handles it again while live traffic goes on. With force (CANON
// only) it also sets Ob-Force. The range ends at to_seq or at the stream's
// last sequence when the replay starts. Unless all_versions is set, a
// message is left out when the stream holds a later one of the same
// document: replaying it would undo what the later one brought.
func (s *Server) Replay(
	req *adminv1.ReplayRequest,
	out grpc.ServerStreamingServer[adminv1.ReplayResponse],
) error {
	ctx := out.Context()
	if err := checkReplay(req); err != nil {
		return err
	}
	str, err := s.d.JS.Stream(ctx, req.GetStream())
	if err != nil {
		return internal("replay", err)
	}
	last := str.CachedInfo().State.LastSeq
	to := req.GetToSeq()
	if to == 0 || to > last {
		to = last
	}
	if req.GetFromSeq() > to {
		return invalid("--from-seq %d is past the last sequence %d of %s: "+
			"see obctl status for the stream's range", req.GetFromSeq(), to, req.GetStream())
	}

	start := s.d.Now()
	d := replayDetails{
		ID:     "replay-" + strconv.FormatInt(start.UnixNano(), 10),
		Stream: req.GetStream(), FromSeq: req.GetFromSeq(), ToSeq: to,
		Subject: req.GetSubject(), DryRun: req.GetDryRun(), Force: req.GetForce(),
		AllVersions: req.GetAllVersions(),
	}
	action := ActionReplay
	if d.Force {
		action = ActionReplayForce
	}
	if err := s.audit(ctx, action, d); err != nil {
		return err
	}
	return s.replay(ctx, d, out)
}

func checkReplay(req *adminv1.ReplayRequest) error {
	switch req.GetStream() {
	case bus.StreamRaw, bus.StreamCanon:
	default:
		return invalid("--stream %q: replay %s (re-maps) or %s (re-posts)",
			req.GetStream(), bus.StreamRaw, bus.StreamCanon)
	}
	if req.GetFromSeq() == 0 {
		return invalid("--from-seq is required: see obctl status for the stream's range")
	}
	if req.GetToSeq() != 0 && req.GetToSeq() < req.GetFromSeq() {
		return invalid("--to-seq %d is before --from-seq %d", req.GetToSeq(), req.GetFromSeq())
	}
	if req.GetForce() && req.GetStream() != bus.StreamCanon {
		return invalid("--force applies to %s only: it asks the writer to re-verify "+
			"posted documents against Kingdee", bus.StreamCanon)
	}
	return nil
}

// replay scans the range and publishes each message again, reporting
// progress to out.
func (s *Server) replay(
	ctx context.Context,
	d replayDetails,
	out grpc.ServerStreamingServer[adminv1.ReplayResponse],
) error {
	p := &adminv1.ReplayResponse{Id: d.ID}
	bySubject := map[string]uint64{}
	nanos := s.d.Now().UnixNano()
	progress := throttle(func() { _ = out.Send(p) })
	var pubErr error

	spec := scanSpec{Stream: d.Stream, FromSeq: d.FromSeq, ToSeq: d.ToSeq}
	if d.Subject != "" {
		spec.Subjects = []string{d.Subject}
	}
	var latest map[string]uint64
	if !d.AllVersions {
		var err error
		if latest, err = s.latestByDoc(ctx, spec); err != nil {
			return internal("replay "+d.ID, err)
		}
	}
	total := func(n int) { p.Total = min(uint64(n), d.ToSeq-d.FromSeq+1) }
	_, err := scanPending(ctx, s.d.JS, spec, total,
		func(m jetstream.Msg, meta *jetstream.MsgMetadata) bool {
			p.Scanned++
			p.LastSeq = meta.Sequence.Stream
			key := m.Headers().Get(bus.HeaderDocKey)
			if latest != nil && key != "" && latest[key] != meta.Sequence.Stream {
				p.Superseded++
				return true
			}
			bySubject[m.Subject()]++
			if !d.DryRun {
				id := bus.ReplayMsgID(m.Headers().Get(bus.HeaderMsgID),
					d.Stream, meta.Sequence.Stream, nanos+int64(p.Scanned))
				hdr := bus.ReplayHeaders(m.Headers(), d.ID, d.Force)
				if _, pubErr = s.d.Publisher.Publish(ctx, m.Subject(), m.Data(), id, hdr); pubErr != nil {
					return false
				}
				p.Published++
			}
			progress()
			return true
		})
	if err == nil {
		err = pubErr
	}
	if err != nil {
		return internal("replay "+d.ID+" stopped at sequence "+
			strconv.FormatUint(p.LastSeq, 10)+"; run it again from there", err)
	}

	p.Done = true
	p.Subjects = sortedCounts(bySubject)
	return out.Send(p)
}

// latestByDoc returns the last sequence of each document key among the
// messages of spec from its start to the stream's end, reading headers
// only.
func (s *Server) latestByDoc(ctx context.Context, spec scanSpec) (map[string]uint64, error) {
	spec.ToSeq, spec.HeadersOnly = 0, true
	latest := map[string]uint64{}
	err := scan(ctx, s.d.JS, spec, func(m jetstream.Msg, meta *jetstream.MsgMetadata) bool {
		if key := m.Headers().Get(bus.HeaderDocKey); key != "" {
			latest[key] = meta.Sequence.Stream
		}
		return true
	})
	return latest, err
}
