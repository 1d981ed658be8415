package admin

import (
	"context"
	"errors"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/pkg/mapping"
	adminv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/admin/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
)

// Preview maps a raw JST document with the rules in force and builds its
// bill, publishing nothing. The document is given in the request, or taken
// from JST_RAW by sequence or (the latest of) a document key. A document
// that cannot be mapped or built is answered with decision "error" and the
// reason, as the transformer or the writer would dead-letter it.
func (s *Server) Preview(
	ctx context.Context,
	req *adminv1.PreviewRequest,
) (*adminv1.PreviewResponse, error) {
	kind, raw, seq, err := s.previewSource(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &adminv1.PreviewResponse{RawSeq: seq, RulesVersion: s.d.Mapper.Version()}

	res, err := mapping.Preview(s.d.Mapper, s.d.Settings, kind, raw)
	if err != nil {
		out.Decision, out.Error = "error", err.Error()
		var merr *mapping.Error
		if errors.As(err, &merr) {
			out.DocKey = merr.Key
		}
		return out, nil
	}
	out.DocKey, out.Decision, out.Rule = res.Key, res.Decision.String(), res.Rule
	out.RulesVersion = res.RulesVersion
	if res.Doc != nil {
		b, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(res.Doc)
		if err == nil {
			out.Canonical = string(b)
		}
	}
	out.Form, out.BillNo = res.FormID, res.BillNo
	if len(res.Model) > 0 {
		var b strings.Builder
		if indentJSON(&b, res.Model) == nil {
			out.Bill = b.String()
		}
	}
	return out, nil
}

// previewSource returns the kind and raw document a preview is about,
// and its JST_RAW sequence when it came from there.
func (s *Server) previewSource(
	ctx context.Context,
	req *adminv1.PreviewRequest,
) (jst.Kind, []byte, uint64, error) {
	switch {
	case len(req.GetRaw()) > 0:
		kind := jst.Kind(req.GetKind())
		if !kind.Valid() {
			return "", nil, 0, invalid("--kind %q: say order or aftersale for a raw document",
				req.GetKind())
		}
		return kind, req.GetRaw(), 0, nil
	case req.GetRawSeq() > 0:
		return s.rawAt(ctx, req.GetRawSeq())
	case req.GetDocKey() != "":
		seq, err := s.latestRaw(ctx, req.GetDocKey())
		if err != nil {
			return "", nil, 0, err
		}
		return s.rawAt(ctx, seq)
	}
	return "", nil, 0, invalid("give a document: --file (with --kind), --seq of %s, or --key",
		bus.StreamRaw)
}

func (s *Server) rawAt(ctx context.Context, seq uint64) (jst.Kind, []byte, uint64, error) {
	str, err := s.d.JS.Stream(ctx, bus.StreamRaw)
	if err != nil {
		return "", nil, 0, internal("preview", err)
	}
	m, err := str.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return "", nil, 0, status.Errorf(codes.NotFound,
			"%s holds no message at sequence %d: see obctl status for its range",
			bus.StreamRaw, seq)
	}
	if err != nil {
		return "", nil, 0, internal("preview", err)
	}
	toks := strings.Split(m.Subject, ".")
	if len(toks) != 4 {
		return "", nil, 0, status.Errorf(codes.FailedPrecondition,
			"sequence %d is on %s, not jst.raw.<kind>.<shop>", seq, m.Subject)
	}
	return jst.Kind(toks[2]), m.Data, seq, nil
}

// latestRaw finds the last JST_RAW sequence holding the document key.
func (s *Server) latestRaw(ctx context.Context, key string) (uint64, error) {
	kind, id, ok := strings.Cut(key, ".")
	if !ok || !jst.Kind(kind).Valid() || id == "" {
		return 0, invalid("--key %q: want order.<o_id> or aftersale.<as_id>", key)
	}
	var found uint64
	spec := scanSpec{
		Stream: bus.StreamRaw, HeadersOnly: true,
		Subjects: []string{"jst.raw." + kind + ".>"},
	}
	err := scan(ctx, s.d.JS, spec, func(m jetstream.Msg, meta *jetstream.MsgMetadata) bool {
		if m.Headers().Get(bus.HeaderDocKey) == key {
			found = meta.Sequence.Stream
		}
		return true
	})
	if err != nil {
		return 0, internal("preview", err)
	}
	if found == 0 {
		return 0, status.Errorf(codes.NotFound,
			"%s holds no document %s: give the document with --file instead", bus.StreamRaw, key)
	}
	return found, nil
}
