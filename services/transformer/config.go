package transformer

import (
	"time"

	"github.com/orderbridge/orderbridge/pkg/mapping"
	"github.com/orderbridge/orderbridge/pkg/service"
)

// Config is the transformer's configuration.
type Config struct {
	// MappingFile is MAPPING_FILE; empty uses the built-in rules.
	MappingFile string
	// ReloadInterval is MAPPING_RELOAD_INTERVAL (default 5s): how often the
	// mapping file's content is checked for a change. Zero or less turns
	// reloading off.
	ReloadInterval time.Duration
	// Concurrency is TRANSFORMER_CONCURRENCY (default 4): how many pulls
	// are mapped and published at once.
	Concurrency int
	// Batch is TRANSFORMER_BATCH (default 128): the most documents one
	// pull takes; their canonical documents are published together.
	Batch int
}

// DefaultReloadInterval is how often the mapping file is checked when
// MAPPING_RELOAD_INTERVAL is unset.
const DefaultReloadInterval = 5 * time.Second

// LoadConfig reads the transformer's variables.
func LoadConfig(e *service.Env) (Config, error) {
	c := Config{
		MappingFile:    e.String("MAPPING_FILE", ""),
		ReloadInterval: e.Duration("MAPPING_RELOAD_INTERVAL", DefaultReloadInterval),
		Concurrency:    e.Int("TRANSFORMER_CONCURRENCY", 4),
		Batch:          e.Int("TRANSFORMER_BATCH", 128),
	}
	return c, e.Err()
}

// LoadMapping loads the mapping file of c, or returns the built-in rules
// and settings when c names none. Errors are those of mapping.LoadFile.
func (c Config) LoadMapping() (*mapping.File, error) {
	if c.MappingFile == "" {
		return mapping.DefaultFile(), nil
	}
	return mapping.LoadFile(c.MappingFile)
}
