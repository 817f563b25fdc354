//go:build !linux

package sqlite

import "testing"

type memWatch struct{}

func watchMemory() memWatch { return memWatch{} }

func (memWatch) report(*testing.B) {}
