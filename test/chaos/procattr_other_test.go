//go:build !linux

package chaos

import "syscall"

// dieWithParent has no equivalent here: children are stopped by the
// test's cleanup only.
func dieWithParent() *syscall.SysProcAttr { return nil }
