package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/store"
)

func TestMigratesAnEmptyFileAndReopens(t *testing.T) {
	e, path := openTemp(t)
	var version int
	require.NoError(t, e.r.QueryRow("SELECT version FROM schema_version").Scan(&version))
	require.Equal(t, len(migrations), version)
	var mode string
	require.NoError(t, e.w.QueryRow("PRAGMA journal_mode").Scan(&mode))
	require.Equal(t, "wal", mode)
	commitAll(t, e, "t1", generated(t, 10)[:50])
	require.NoError(t, e.Close())
	e2, err := Open(path, Options{})
	require.NoError(t, err)
	defer e2.Close()
	st, err := e2.State(context.Background(), "t1")
	require.NoError(t, err)
	require.EqualValues(t, 50, st.Events)
}

func TestRefusesANewerSchema(t *testing.T) {
	e, path := openTemp(t)
	_, err := e.w.Exec("UPDATE schema_version SET version = ?", len(migrations)+1)
	require.NoError(t, err)
	require.NoError(t, e.Close())
	_, err = Open(path, Options{})
	require.ErrorIs(t, err, ErrTooNew)
	require.ErrorContains(t, err, "Upgrade the plugin")
	_, moved, err := OpenOrRebuild(path, Options{})
	require.ErrorIs(t, err, ErrTooNew, "a newer database is not damaged and is never moved aside")
	require.Empty(t, moved)
}

func TestDamagedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	garbage := []byte("this is not a database, it only sits where one should be ....................")
	require.NoError(t, os.WriteFile(path, garbage, 0o600))
	_, err := Open(path, Options{})
	require.ErrorIs(t, err, ErrDamaged)
	require.ErrorContains(t, err, path)
	require.ErrorContains(t, err, "Rebuild")

	now := time.Date(2026, 5, 1, 12, 30, 0, 0, time.UTC)
	e, moved, err := OpenOrRebuild(path, Options{Now: func() time.Time { return now }})
	require.NoError(t, err)
	defer e.Close()
	require.Equal(t, path+".damaged-20260501T123000Z", moved)
	kept, err := os.ReadFile(moved)
	require.NoError(t, err)
	require.Equal(t, garbage, kept, "the damaged file is kept for inspection")
	commitAll(t, e, "t1", generated(t, 11)[:10])
	require.Len(t, scanAll(t, e, "t1", store.ScanQuery{}), 10)
}

func TestCorruptPagesAreReportedAsDamage(t *testing.T) {
	e, path := openTemp(t)
	commitAll(t, e, "t1", generated(t, 12))
	require.NoError(t, e.Close())
	// Overwrite the middle of the file, where event pages are, keeping the header intact.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	fi, err := f.Stat()
	require.NoError(t, err)
	junk := make([]byte, fi.Size()/2)
	for i := range junk {
		junk[i] = byte(i * 7)
	}
	_, err = f.WriteAt(junk, fi.Size()/4)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	e2, err := Open(path, Options{})
	if err == nil {
		defer e2.Close()
		err = e2.Scan(context.Background(), "t1", store.ScanQuery{}, func(*eventT) error { return nil })
	}
	require.ErrorIs(t, err, ErrDamaged)
}

func TestFullDiskNamesTheDisk(t *testing.T) {
	e, path := openTemp(t)
	commitAll(t, e, "t1", generated(t, 13)[:100])
	var pages int64
	require.NoError(t, e.w.QueryRow("PRAGMA page_count").Scan(&pages))
	// The writer is one connection, so this cap holds for the next commit: SQLite then fails as
	// it does on a full disk.
	_, err := e.w.Exec("PRAGMA max_page_count = " + itoa(pages+1))
	require.NoError(t, err)
	events := generated(t, 13)
	_, err = e.Commit(context.Background(), "t1", store.Batch{Events: events[100:2000]})
	require.ErrorIs(t, err, ErrDiskFull)
	require.ErrorContains(t, err, filepath.Dir(path))
	st, err := e.State(context.Background(), "t1")
	require.NoError(t, err)
	require.EqualValues(t, 100, st.Events, "a failed commit stores nothing")
}

var _ = sql.ErrNoRows

func TestMissingDirectorySaysWhatToCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "store.db")
	_, err := Open(path, Options{})
	require.ErrorContains(t, err, path)
	require.ErrorContains(t, err, "check that the directory exists")
}
