package sqlite

import (
	"errors"
	"fmt"
	"path/filepath"

	sqlite "modernc.org/sqlite"

	"github.com/seed/auth0logs-datasource/pkg/store"
)

// SQLite's primary result codes (stable across versions) that get a message of their own.
const (
	codePerm     = 3
	codeReadOnly = 8
	codeCorrupt  = 11
	codeFull     = 13
	codeCantOpen = 14
	codeNotADB   = 26
)

// ErrDamaged marks a store file that is not a SQLite database or whose pages are corrupt.
var ErrDamaged = errors.New("the tenant log store file is damaged")

// ErrDiskFull marks a write that failed because the disk (or the file's quota) is full.
var ErrDiskFull = errors.New("the disk holding the tenant log store is full")

// ErrTooNew marks a database written by a newer version of the plugin.
var ErrTooNew = errors.New("the tenant log store was written by a newer plugin version")

// wrap gives SQLite's failures a message that says what happened to which file and what to do,
// keeping the cause for errors.Is.
func (e *Engine) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if e.closed.Load() {
		return store.ErrClosed
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		if errors.Is(err, ErrTooNew) || errors.Is(err, ErrDamaged) || errors.Is(err, ErrDiskFull) {
			return err
		}
		return fmt.Errorf("tenant log store %s: %s: %w", e.path, op, err)
	}
	switch se.Code() & 0xff {
	case codeFull:
		return fmt.Errorf("%w: %s failed on %s: free space on the disk of %s, or lower the store's "+
			"size cap or retention so eviction makes room: %w", ErrDiskFull, op, e.path, filepath.Dir(e.path), err)
	case codeCorrupt, codeNotADB:
		return fmt.Errorf("%w: %s is not a readable SQLite database (%v). Rebuild it: the plugin moves "+
			"it aside to %s.damaged-<time> and reads the events again from Auth0, as far back as Auth0 "+
			"keeps them; or stop Grafana and delete the file yourself", ErrDamaged, e.path, err, e.path)
	case codeReadOnly, codeCantOpen, codePerm:
		return fmt.Errorf("tenant log store %s: %s: cannot write the file (%v): check that the directory "+
			"exists and that the user Grafana runs as may write it", e.path, op, err)
	}
	return fmt.Errorf("tenant log store %s: %s: %w", e.path, op, err)
}
