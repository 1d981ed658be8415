package transformer

import (
	"context"
	"os"
	"time"

	"github.com/orderbridge/orderbridge/pkg/mapping"
)

// Reload outcomes Reload reports.
type ReloadOutcome string

// What a reload did.
const (
	// ReloadUnchanged: the file's content is the one in force, or one
	// already refused.
	ReloadUnchanged ReloadOutcome = "unchanged"
	// ReloadApplied: the file changed and its rules are now in force.
	ReloadApplied ReloadOutcome = reloadApplied
	// ReloadRefused: the file changed but is invalid; the rules in force
	// stay.
	ReloadRefused ReloadOutcome = reloadRefused
	// ReloadUnreadable: the file cannot be read; the rules in force stay.
	ReloadUnreadable ReloadOutcome = reloadUnreadable
)

// reloader is the state of the mapping file watch. Only the watching
// goroutine, or a caller of Reload, touches it; Reload serialises them.
type reloader struct {
	// seen is the hash of the content last looked at, applied or refused,
	// so that a bad file is reported once, not at every check.
	seen string
	// readErr is the text of the last read error, reported once.
	readErr string
}

// Reload reads the mapping file and, when its content differs from the
// last content seen, loads it: valid rules replace the rules in force at
// once (documents being mapped finish under the old ones); invalid rules
// are refused and logged with every problem, and the rules in force stay.
// It returns what it did, and the load error of a refused or unreadable
// file. Without a mapping file it does nothing.
func (t *Transformer) Reload() (ReloadOutcome, error) {
	if t.cfg.MappingFile == "" {
		return ReloadUnchanged, nil
	}
	t.reloadMu.Lock()
	defer t.reloadMu.Unlock()

	data, err := os.ReadFile(t.cfg.MappingFile)
	if err != nil {
		if err.Error() != t.rl.readErr {
			t.rl.readErr = err.Error()
			t.d.Log.Warn("mapping file unreadable; keeping the rules in force",
				"err", err, "rules_version", t.File().Rules.Version)
			t.m.reloads.WithLabelValues(reloadUnreadable).Inc()
		}
		return ReloadUnreadable, err
	}
	t.rl.readErr = ""
	hash := mapping.FileHash(data)
	if hash == t.rl.seen {
		return ReloadUnchanged, nil
	}
	t.rl.seen = hash

	f, err := mapping.ParseFile(t.cfg.MappingFile, data)
	if err != nil {
		t.m.reloads.WithLabelValues(reloadRefused).Inc()
		t.d.Log.Error("mapping file refused; keeping the rules in force",
			"err", err, "rules_version", t.File().Rules.Version)
		return ReloadRefused, err
	}
	old := t.rules.Swap(f)
	t.m.reloads.WithLabelValues(reloadApplied).Inc()
	t.m.inForce(f.Rules.Version)
	t.d.Log.Info("mapping rules reloaded", "rules_version", f.Rules.Version,
		"previous_version", old.Rules.Version, "content_hash", f.Hash)
	return ReloadApplied, nil
}

// watch calls Reload every interval until ctx is done.
func (t *Transformer) watch(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			_, _ = t.Reload()
		}
	}
}
