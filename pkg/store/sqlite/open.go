package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // the pure-Go driver, registered as "sqlite"

	"github.com/seed/auth0logs-datasource/pkg/store"
)

// Options tune an engine; the zero value is ready to use.
type Options struct {
	// Readers is how many connections may read at once; default 4. Writes always go through one
	// connection, which is all SQLite allows at a time anyway.
	Readers int
	// BusyTimeout is how long a statement waits for a lock held by another process on the same
	// file before failing; default 5 s.
	BusyTimeout time.Duration
	// Now is the clock used to name a damaged file moved aside; default time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Readers <= 0 {
		o.Readers = 4
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Engine is a store.Engine on one SQLite file. It is safe for concurrent use; commits are
// serialised, reads run in parallel beside them (WAL mode).
type Engine struct {
	path string
	w    *sql.DB // the single writer connection
	r    *sql.DB // read-only connections

	wmu     sync.Mutex // serialises commits, evictions and deletions
	dict    *dictionary
	codec   atomic.Pointer[codec]
	tenants sync.Map // tenant key -> int64 id
	closed  atomic.Bool
}

var _ store.Engine = (*Engine)(nil)

// Open opens (creating if needed) the store at path and brings its schema up to date. A file that
// is not a SQLite database or is damaged gives an error that says so and how to recover; a
// database written by a newer plugin version is refused rather than misread.
func Open(path string, opts Options) (*Engine, error) {
	opts = opts.withDefaults()
	e := &Engine{path: path, dict: newDictionary()}
	var err error
	if e.w, err = sql.Open("sqlite", dsn(path, opts, true)); err != nil {
		return nil, fmt.Errorf("open the tenant log store %s: %w", path, err)
	}
	e.w.SetMaxOpenConns(1)
	e.w.SetConnMaxIdleTime(0)
	if err = e.init(context.Background()); err != nil {
		_ = e.w.Close()
		return nil, err
	}
	if e.r, err = sql.Open("sqlite", dsn(path, opts, false)); err != nil {
		_ = e.w.Close()
		return nil, fmt.Errorf("open the tenant log store %s: %w", path, err)
	}
	e.r.SetMaxOpenConns(opts.Readers)
	e.r.SetMaxIdleConns(opts.Readers)
	return e, nil
}

func dsn(path string, opts Options, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", opts.BusyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if writer {
		// Incremental vacuum lets eviction give pages back to the disk without rewriting the file;
		// it takes effect when the file is created, which this connection does.
		q.Add("_pragma", "auto_vacuum(INCREMENTAL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
		// 16 MB a reader keeps a dashboard's index pages in memory between its panels.
		q.Add("_pragma", "cache_size(-16000)")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// init applies migrations and loads what the engine caches: the zstd dictionaries and strings.
func (e *Engine) init(ctx context.Context) error {
	if err := migrate(ctx, e.w, e.path); err != nil {
		return e.wrap("open", err)
	}
	c, err := loadCodec(ctx, e.w)
	if err != nil {
		return e.wrap("open", err)
	}
	e.codec.Store(c)
	return e.wrap("open", e.dict.load(ctx, e.w))
}

// OpenOrRebuild opens the store at path; when the file is damaged or not a SQLite database, it
// moves the file aside to <path>.damaged-<UTC timestamp> (with its -wal and -shm files) and starts
// an empty store. moved is where the damaged file went, "" when nothing was moved. Events lost
// that way come back from Auth0 by backfill, as far as Auth0 still keeps them.
func OpenOrRebuild(path string, opts Options) (e *Engine, moved string, err error) {
	opts = opts.withDefaults()
	e, err = Open(path, opts)
	if err == nil || !errors.Is(err, ErrDamaged) {
		return e, "", err
	}
	moved = path + ".damaged-" + opts.Now().UTC().Format("20060102T150405Z")
	if rerr := os.Rename(path, moved); rerr != nil {
		return nil, "", fmt.Errorf("%w; moving it aside to %s also failed: %v", err, moved, rerr)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, serr := os.Stat(path + suffix); serr == nil {
			_ = os.Rename(path+suffix, moved+suffix)
		}
	}
	e, err = Open(path, opts)
	if err != nil {
		return nil, moved, err
	}
	return e, moved, nil
}

// Close releases the connections. In-flight calls may fail; later calls return store.ErrClosed.
func (e *Engine) Close() error {
	if e.closed.Swap(true) {
		return nil
	}
	// Record what the planner learned, so the next open plans as well as this one did.
	_, _ = e.w.Exec("PRAGMA optimize")
	return errors.Join(e.r.Close(), e.w.Close())
}

// Stats is what health reports about the file.
type Stats struct {
	// Path is the database file.
	Path string
	// FileBytes is the size on disk of the database and its write-ahead log.
	FileBytes int64
	// UsedBytes is the part of the database that holds data (the rest is free pages).
	UsedBytes int64
}

// Stats measures the file on disk.
func (e *Engine) Stats(ctx context.Context) (Stats, error) {
	if e.closed.Load() {
		return Stats{}, store.ErrClosed
	}
	s := Stats{Path: e.path}
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(e.path + suffix); err == nil {
			s.FileBytes += fi.Size()
		}
	}
	used, err := usedBytes(ctx, e.r)
	s.UsedBytes = used
	return s, e.wrap("measure", err)
}

func usedBytes(ctx context.Context, db *sql.DB) (int64, error) {
	var pages, free, size int64
	err := db.QueryRowContext(ctx, "SELECT (SELECT page_count FROM pragma_page_count), "+
		"(SELECT freelist_count FROM pragma_freelist_count), (SELECT page_size FROM pragma_page_size)").
		Scan(&pages, &free, &size)
	return (pages - free) * size, err
}
