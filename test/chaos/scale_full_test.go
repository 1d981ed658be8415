//go:build chaos

package chaos

import "time"

// chaosScale is the full form, run by make chaos.
var chaosScale = scale{
	orders: 3000, aftersales: 1000,
	events: 45, eventEvery: 3 * time.Second, drain: 4 * time.Minute,
}
