package chaos

import "syscall"

// dieWithParent makes a child process end when the suite's process does,
// so that no simulator or service outlives a killed test binary.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
