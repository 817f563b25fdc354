package store

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
)

// Status is a tenant tail's health, for Save & test and the query stats: what the store covers,
// what it lacks, how far behind it is, and what is wrong when it is stuck.
type Status struct {
	// Running is false before the tail's first step and after it stopped.
	Running bool `json:"running"`
	// CoverageFrom and CoverageTo bound what the segments hold (the oldest segment's From and the
	// newest one's To); Gaps lists what is missing between them and back to the backfill window.
	CoverageFrom time.Time `json:"coverageFrom"`
	CoverageTo   time.Time `json:"coverageTo"`
	Gaps         []Gap     `json:"gaps,omitempty"`
	// Events, Bytes and Conflicts are the engine's totals for the tenant.
	Events    int64 `json:"events"`
	Bytes     int64 `json:"bytes"`
	Conflicts int64 `json:"conflicts"`
	// Lag is now minus the time up to which the live tail knows the log complete.
	Lag time.Duration `json:"lag"`
	// CaughtUp is true once the live tail has read a page shorter than a full one, i.e. it has
	// reached the newest log Auth0 serves, and stays true while it keeps up.
	CaughtUp bool           `json:"caughtUp"`
	Live     ReadStats      `json:"live"`
	Backfill BackfillStatus `json:"backfill"`
	// LastError is the latest failure, nil once a step succeeds again.
	LastError *TailError `json:"lastError,omitempty"`
	// Notices are events worth telling the admin that did not stop the tail, newest last: a
	// checkpoint Auth0 no longer held (a lost gap), a fallback to reading oldest first.
	Notices []TailError `json:"notices,omitempty"`
}

// ReadStats counts what one side of the tail asked of Auth0.
type ReadStats struct {
	// Requests counts checkpoint requests that returned a page; failed ones are in LastError.
	Requests int64 `json:"requests"`
	// FullPages counts requests that returned a full page (the tail was behind); Polls counts the
	// short or empty ones, which is what keeping up costs once caught up.
	FullPages int64 `json:"fullPages"`
	Polls     int64 `json:"polls"`
	// EventsRead counts events received; EventsStored counts those the engine stored new.
	EventsRead   int64 `json:"eventsRead"`
	EventsStored int64 `json:"eventsStored"`
	// Wasted counts events read that were already held: past a backfill chunk's end, or stored by
	// a commit whose answer was lost.
	Wasted int64 `json:"wasted"`
}

// BackfillStatus is the backfill's progress over its window.
type BackfillStatus struct {
	ReadStats
	// WindowFrom is how far back the backfill reaches (BackfillDays, capped by the store's
	// retention); Done is true when no fillable hole is left in the window.
	WindowFrom time.Time `json:"windowFrom"`
	Done       bool      `json:"done"`
	// Progress is the share of the window from WindowFrom to the live tail's start that is held.
	Progress float64 `json:"progress"`
	// Chunks counts chunks finished (a chunk ends when it reaches the next held stretch).
	Chunks int64 `json:"chunks"`
	// OldestFirst is set when Auth0 did not honour synthetic from ids and the backfill reads from
	// the oldest log instead; Note says why.
	OldestFirst bool   `json:"oldestFirst"`
	Note        string `json:"note,omitempty"`
	// Auth0HoldsFrom is set when the backfill found Auth0 holding nothing older (a plan that
	// keeps less than the tail assumed): the backfill reaches back no further.
	Auth0HoldsFrom time.Time `json:"auth0HoldsFrom,omitzero"`
}

// Cause names what stops a tail, so Save & test can say what to fix.
type Cause string

// The causes a TailError can have.
const (
	CauseScope              Cause = "scope"               // 403: the application may not read logs
	CauseCredentials        Cause = "credentials"         // 401: client ID/secret or audience
	CauseRateLimit          Cause = "rate_limit"          // 429 or the client-side budget
	CauseAuth0Down          Cause = "auth0_error"         // Auth0 answered 5xx
	CauseNetwork            Cause = "network"             // no answer from Auth0
	CauseDiskFull           Cause = "disk_full"           // the store cannot write
	CauseStore              Cause = "store"               // any other engine failure
	CauseCheckpointMissing  Cause = "checkpoint_missing"  // Auth0 no longer holds the checkpoint
	CauseSyntheticFromFails Cause = "synthetic_from_fail" // synthetic from ids not honoured
	CauseOther              Cause = "other"
)

// TailError is a failure of the tail with its cause and a message that says what to do.
type TailError struct {
	Cause   Cause     `json:"cause"`
	Message string    `json:"message"`
	At      time.Time `json:"at"`
	// RetryAt is when the tail tries again; zero when it does not (only a stop ends it).
	RetryAt time.Time `json:"retryAt,omitzero"`
}

func (e *TailError) Error() string { return e.Message }

// classify turns a failure into a TailError. Auth0's client errors already read well; engine
// errors get the store's side of the story.
func classify(err error, fromEngine bool, now time.Time) *TailError {
	te := &TailError{Cause: CauseOther, Message: err.Error(), At: now}
	var ae *auth0.Error
	switch {
	case fromEngine && isDiskFull(err):
		te.Cause = CauseDiskFull
		te.Message = "the tenant log store cannot write, the disk is full: free space or lower the store's size cap; the tail resumes where it stopped (" + err.Error() + ")"
	case fromEngine:
		te.Cause = CauseStore
		te.Message = "the tenant log store failed to save a page: " + err.Error() + "; the tail retries from its last checkpoint, and if this persists check the store's file or database"
	case errors.As(err, &ae):
		switch {
		case ae.Status == http.StatusForbidden:
			te.Cause = CauseScope
		case ae.Status == http.StatusUnauthorized:
			te.Cause = CauseCredentials
		case ae.Status == http.StatusTooManyRequests:
			te.Cause = CauseRateLimit
		case ae.Status >= 500:
			te.Cause = CauseAuth0Down
		case ae.Status == 0:
			te.Cause = CauseNetwork
		}
	case errors.Is(err, context.DeadlineExceeded):
		te.Cause = CauseRateLimit
		te.Message = "the tail's request budget allowed no request in time: " + err.Error()
	}
	return te
}

// isDiskFull recognises ENOSPC and SQLite's SQLITE_FULL ("database or disk is full"), which
// modernc.org/sqlite reports only as text.
func isDiskFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) {
		return true
	}
	m := strings.ToLower(err.Error())
	return strings.Contains(m, "disk is full") || strings.Contains(m, "no space left")
}

// Summary is one line for logs and Save & test.
func (s Status) Summary() string {
	if s.CoverageTo.IsZero() {
		return "the tenant log store holds nothing yet"
	}
	out := fmt.Sprintf("store holds %d events from %s to %s, %d gaps, lag %s, backfill %.0f%%",
		s.Events, s.CoverageFrom.UTC().Format(time.RFC3339), s.CoverageTo.UTC().Format(time.RFC3339),
		len(s.Gaps), s.Lag.Round(time.Second), 100*s.Backfill.Progress)
	if s.LastError != nil {
		out += "; last error: " + s.LastError.Message
	}
	return out
}

// Status reports the tail's health. It reads the engine's state (cheap: totals and segments), so
// it is current even while the tail waits; err is the engine's, if it cannot answer.
func (t *Tail) Status(ctx context.Context) (Status, error) {
	cfg := t.config()
	st, err := cfg.Engine.State(ctx, cfg.Tenant)
	now := cfg.Clock.Now()
	t.mu.Lock()
	s := Status{Running: t.running, CaughtUp: t.caughtUp, Live: t.live, Backfill: t.bf.stats}
	if t.lastErr != nil {
		e := *t.lastErr
		s.LastError = &e
	}
	s.Notices = append([]TailError(nil), t.notices...)
	reachedOldest, edge := t.bf.reachedOldest, t.bf.edge
	t.mu.Unlock()
	if err != nil {
		return s, fmt.Errorf("reading the tenant log store's state: %w", err)
	}
	s.Events, s.Bytes, s.Conflicts = st.Events, st.Bytes, st.Conflicts
	if len(st.Segments) == 0 {
		return s, nil
	}
	s.CoverageFrom, s.CoverageTo = st.Segments[0].From, st.Segments[len(st.Segments)-1].To
	s.Lag = max(0, now.Sub(s.CoverageTo))
	s.Backfill.WindowFrom = maxTime(window(cfg, now), edge)
	floor := s.Backfill.WindowFrom
	if reachedOldest || cfg.BackfillDays < 0 {
		floor = time.Time{}
	}
	s.Gaps = Gaps(st.Segments, floor, maxTime(now.Add(-cfg.Auth0Retention), edge))
	s.Backfill.Progress = progress(s.Gaps, s.Backfill.WindowFrom, now)
	s.Backfill.Done = cfg.BackfillDays < 0 || !slices.ContainsFunc(s.Gaps, func(g Gap) bool { return !g.Lost })
	return s, nil
}
