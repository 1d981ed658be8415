package admin

import (
	"fmt"

	"github.com/orderbridge/orderbridge/pkg/bill"
	"github.com/orderbridge/orderbridge/pkg/jst"
	"github.com/orderbridge/orderbridge/pkg/kingdee"
	"github.com/orderbridge/orderbridge/pkg/mapping"
)

// Clients returns the read-only ERP clients of cfg for reconcile; a client
// whose base URL is not set is nil.
func Clients(cfg Config) (*jst.Client, *kingdee.Client, error) {
	var jc *jst.Client
	var kc *kingdee.Client
	var err error
	if cfg.JST.BaseURL != "" {
		jcfg := cfg.JST
		if jcfg.Limiter == nil && cfg.JSTRatePerSec > 0 {
			jcfg.Limiter = jst.NewLimiter(cfg.JSTRatePerSec, 60*cfg.JSTRatePerSec)
		}
		if jc, err = jst.NewClient(jcfg); err != nil {
			return nil, nil, fmt.Errorf("admin: %w", err)
		}
	}
	if cfg.Kingdee.BaseURL != "" {
		if kc, err = kingdee.New(cfg.Kingdee); err != nil {
			return nil, nil, fmt.Errorf("admin: %w", err)
		}
	}
	return jc, kc, nil
}

// LoadMapping returns the mapper and form settings of the mapping file at
// path, or of the built-in rules when path is empty.
func LoadMapping(path string) (*mapping.Mapper, bill.Settings, error) {
	f := mapping.DefaultFile()
	if path != "" {
		var err error
		if f, err = mapping.LoadFile(path); err != nil {
			return nil, nil, fmt.Errorf("admin: MAPPING_FILE: %w", err)
		}
	}
	return f.Mapper, f.Settings, nil
}
