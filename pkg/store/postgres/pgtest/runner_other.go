//go:build !unix

package pgtest

import "os/exec"

// runner on systems without unix credentials runs the programs as the current user.
type runner struct{}

func newRunner(string) (*runner, error) { return &runner{}, nil }

func (*runner) own(string) error { return nil }

func (*runner) command(name string, args ...string) *exec.Cmd {
	return exec.Command(name, args...)
}
