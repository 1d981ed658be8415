//go:build !chaos

package chaos

import "time"

// chaosScale is the short form, run by make test.
var chaosScale = scale{
	orders: 300, aftersales: 100,
	events: 10, eventEvery: 3 * time.Second, drain: 90 * time.Second,
}
