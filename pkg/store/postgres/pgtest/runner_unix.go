//go:build unix

package pgtest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
)

// runner runs the cluster's programs as a user PostgreSQL accepts: the current one, or the
// postgres user when the tests run as root.
type runner struct {
	cred *syscall.Credential
}

// serverUser is the account the Debian package creates for the server.
const serverUser = "postgres"

func newRunner(dir string) (*runner, error) {
	if os.Geteuid() != 0 {
		return &runner{}, nil
	}
	u, err := user.Lookup(serverUser)
	if err != nil {
		return nil, fmt.Errorf("pgtest: PostgreSQL refuses to run as root and there is no %q user to run it as (%v); install the server with `%s`, which creates it", serverUser, err, InstallHint)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("pgtest: user %q has a non-numeric uid or gid", serverUser)
	}
	r := &runner{cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	return r, r.own(dir)
}

// own hands a path to the server's user, which must write the data directory and the socket.
func (r *runner) own(path string) error {
	if r.cred == nil {
		return nil
	}
	if err := os.Chown(path, int(r.cred.Uid), int(r.cred.Gid)); err != nil {
		return fmt.Errorf("pgtest: hand %s to the %s user: %w", path, serverUser, err)
	}
	return nil
}

func (r *runner) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: r.cred}
	setParentDeathSignal(cmd.SysProcAttr)
	return cmd
}
