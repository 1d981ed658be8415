package chaos

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/bus"
	"github.com/orderbridge/orderbridge/pkg/bus/bustest"
)

// memory is a process's resident memory: peak and now, in MiB.
type memory struct{ peak, now float64 }

// memoryOf reads VmHWM and VmRSS of the process's last run.
func memoryOf(p *proc) memory {
	p.mu.Lock()
	cmd := p.cmd
	p.mu.Unlock()
	var m memory
	if cmd == nil || cmd.Process == nil {
		return m
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		switch k {
		case "VmHWM":
			m.peak = kb / 1024
		case "VmRSS":
			m.now = kb / 1024
		}
	}
	return m
}

// cpuOf is the CPU time (user and system) the process's last run has
// used so far, read from /proc/<pid>/stat in clock ticks of 10 ms.
func cpuOf(p *proc) time.Duration {
	p.mu.Lock()
	cmd := p.cmd
	p.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses:
	// utime and stime are the 12th and 13th of them.
	_, rest, _ := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond
}

// jsWrites counts what the JetStream server stored or applied for the
// pipeline: messages published to the two document streams, updates of
// the two key-value buckets, and deliveries the two consumers settled
// (each an ack, or a nak of a retried message).
type jsWrites struct {
	published, kv, settled uint64
}

func (w jsWrites) total() uint64 { return w.published + w.kv + w.settled }

// countWrites reads the streams' last sequences and the consumers'
// delivery counts.
func countWrites(ctx context.Context, c *cluster) jsWrites {
	last := func(name string) uint64 { return streamState(ctx, c, name).LastSeq }
	delivered := func(stream, name string) uint64 {
		if info := consumerInfo(ctx, c, stream, name); info != nil {
			return info.Delivered.Consumer
		}
		return 0
	}
	return jsWrites{
		published: last(bus.StreamRaw) + last(bus.StreamCanon),
		kv:        last("KV_"+bus.BucketLedger) + last("KV_"+bus.BucketState),
		settled: delivered(bus.StreamRaw, bus.ConsumerTransformer) +
			delivered(bus.StreamCanon, bus.ConsumerWriter),
	}
}

// serverMessagesIn reads the server's count of messages received from
// clients (publishes, KV updates, acks and API requests).
func serverMessagesIn(c *cluster) (int64, error) {
	resp, err := http.Get(c.monitorURL + "/varz")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var v struct {
		InMsgs int64 `json:"in_msgs"`
	}
	return v.InMsgs, json.NewDecoder(resp.Body).Decode(&v)
}

// streamMessages is the number of messages a stream holds.
func streamMessages(ctx context.Context, c *cluster, name string) uint64 {
	return streamState(ctx, c, name).Msgs
}

// streamState is the state of a stream, zero when it cannot be read.
func streamState(ctx context.Context, c *cluster, name string) jetstream.StreamState {
	s, err := c.js.Stream(ctx, name)
	if err != nil {
		return jetstream.StreamState{}
	}
	info, err := s.Info(ctx)
	if err != nil {
		return jetstream.StreamState{}
	}
	return info.State
}

// consumerInfo describes a durable consumer, or is nil when it cannot be
// read.
func consumerInfo(ctx context.Context, c *cluster, stream, name string) *jetstream.ConsumerInfo {
	cons, err := c.js.Consumer(ctx, stream, name)
	if err != nil {
		return nil
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return nil
	}
	return info
}

// billsExpected is the number of bills the default rules make of jstsim's
// documents. It reads every document from jstsim, so benchmarks call it
// before they start their clock.
func billsExpected(t testing.TB, c *cluster) int {
	t.Helper()
	want, err := expectedBills(c.jstURL)
	if err != nil {
		t.Fatal(err)
	}
	return len(want)
}

// waitPipeline waits until the raw stream holds docs documents, both
// consumers are idle and Kingdee holds the bills expected (or, with
// writers false, until the transformer has taken every raw document).
func waitPipeline(t testing.TB, c *cluster, docs, bills int, writers bool, within time.Duration) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(within)
	report := time.Now().Add(5 * time.Second)
	for {
		if time.Now().After(report) {
			report = time.Now().Add(5 * time.Second)
			t.Logf("progress: raw %d of %d, canon %d, transformer pending %s, writer pending %s",
				streamMessages(ctx, c, bus.StreamRaw), docs, streamMessages(ctx, c, bus.StreamCanon),
				consumerPending(ctx, c, bus.StreamRaw, bus.ConsumerTransformer),
				consumerPending(ctx, c, bus.StreamCanon, bus.ConsumerWriter))
		}
		if streamMessages(ctx, c, bus.StreamRaw) >= uint64(docs) {
			if !writers {
				if bustest.Settled(ctx, c.js, bus.StreamRaw, bus.ConsumerTransformer) {
					return
				}
			} else if consumersIdle(ctx, c) {
				got, err := billCount(c.kingdeeURL)
				if err == nil && got >= bills {
					return
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("pipeline not drained within %s: raw %d of %d, canon %d",
				within, streamMessages(ctx, c, bus.StreamRaw), docs,
				streamMessages(ctx, c, bus.StreamCanon))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// consumerPending describes how much a durable consumer has still to take
// and to acknowledge, for progress lines.
func consumerPending(ctx context.Context, c *cluster, stream, name string) string {
	info := consumerInfo(ctx, c, stream, name)
	if info == nil {
		return "unknown"
	}
	return fmt.Sprintf("%d+%d unacked", info.NumPending, info.NumAckPending)
}
