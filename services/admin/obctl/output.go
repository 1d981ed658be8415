package obctl

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// printJSON writes m as indented JSON with the proto field names.
func (c *cli) printJSON(m proto.Message) error {
	b, err := protojson.MarshalOptions{
		Multiline: true, Indent: "  ", UseProtoNames: true, EmitUnpopulated: true,
	}.Marshal(m)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(c.io.Stdout, string(b))
	return err
}

// table writes rows under a header, aligned.
type table struct {
	tw *tabwriter.Writer
}

func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)}
	t.row(toAny(header)...)
	return t
}

func (t *table) row(cells ...any) {
	parts := make([]string, len(cells))
	for i, c := range cells {
		parts[i] = fmt.Sprint(c)
	}
	fmt.Fprintln(t.tw, strings.Join(parts, "\t"))
}

func (t *table) flush() { _ = t.tw.Flush() }

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// ts formats a timestamp in Beijing time, or "-".
func ts(t *timestamppb.Timestamp) string {
	if t == nil || (t.GetSeconds() == 0 && t.GetNanos() == 0) {
		return "-"
	}
	return t.AsTime().In(beijing).Format("2006-01-02 15:04:05")
}

// age formats a duration rounded for people, or "-".
func age(d *durationpb.Duration) string {
	if d == nil {
		return "-"
	}
	return d.AsDuration().Round(time.Second).String()
}

// progress draws one line on w, redrawn in place with \r.
type progress struct {
	w     io.Writer
	label string
	drawn bool
}

func (p *progress) draw(done, total uint64, note string) {
	bar := ""
	if total > 0 {
		const width = 30
		n := int(min(done, total) * width / total)
		bar = fmt.Sprintf("[%s%s] %3d%% ", strings.Repeat("#", n),
			strings.Repeat(".", width-n), min(done, total)*100/total)
	}
	fmt.Fprintf(p.w, "\r%s %s%d/%d %s", p.label, bar, done, total, note)
	p.drawn = true
}

func (p *progress) end() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

// beijing is the zone obctl reads and writes times in, as JST and Kingdee
// do.
var beijing = time.FixedZone("CST", 8*60*60)

// parseTime reads a time given as RFC 3339, as Beijing time
// ("2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02"), or as a
// duration before now ("2h" is two hours ago).
func parseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{
		"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04",
		"2006-01-02T15:04", "2006-01-02",
	} {
		if t, err := time.ParseInLocation(layout, s, beijing); err == nil {
			return t, nil
		}
	}
	if d, err := time.ParseDuration(strings.TrimPrefix(s, "-")); err == nil {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("time %q: give RFC 3339, Beijing time such as "+
		"\"2026-03-01 08:00\", or a duration ago such as 2h", s)
}

// optTime parses an optional time flag; durations count back from the
// start of the run, so that "--from 3h --to 1h" is two hours exactly.
func (c *cli) optTime(name, s string) (*timestamppb.Timestamp, error) {
	if s == "" {
		return nil, nil
	}
	t, err := parseTime(s, c.now)
	if err != nil {
		return nil, usagef("--%s: %v", name, err)
	}
	return timestamppb.New(t), nil
}

// timeRange parses the --from and --to flags of a command that needs both;
// missing is the usage error when either is absent.
func (c *cli) timeRange(from, to, missing string) (*timestamppb.Timestamp, *timestamppb.Timestamp, error) {
	f, err := c.optTime("from", from)
	if err != nil {
		return nil, nil, err
	}
	t, err := c.optTime("to", to)
	if err != nil {
		return nil, nil, err
	}
	if f == nil || t == nil {
		return nil, nil, usagef("%s", missing)
	}
	return f, t, nil
}

// receive reads a server stream to its end, calling each for every
// message (to draw progress), and returns the last message, nil when the
// stream sent none. The progress line is ended either way.
func receive[T any](s interface{ Recv() (T, error) }, bar *progress, each func(T)) (T, error) {
	var last T
	defer bar.end()
	for {
		p, err := s.Recv()
		if errors.Is(err, io.EOF) {
			return last, nil
		}
		if err != nil {
			return last, err
		}
		last = p
		each(p)
	}
}
