package pgtest

import "syscall"

// setParentDeathSignal makes the server quit immediately (ending its children too) when the test
// binary dies without calling Stop, so a crashed test leaves no cluster running.
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGQUIT }
