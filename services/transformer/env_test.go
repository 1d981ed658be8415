package transformer

import "github.com/orderbridge/orderbridge/pkg/service"

// serviceEnv is an Env reading vars.
func serviceEnv(vars map[string]string) *service.Env {
	return service.NewEnv(func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	})
}
