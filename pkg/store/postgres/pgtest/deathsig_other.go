//go:build unix && !linux

package pgtest

import "syscall"

// setParentDeathSignal does nothing where the kernel offers no parent-death signal.
func setParentDeathSignal(*syscall.SysProcAttr) {}
