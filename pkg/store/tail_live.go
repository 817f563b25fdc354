package store

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
	"github.com/seed/auth0logs-datasource/pkg/event"
)

// livePage reads the page after the checkpoint and commits it with the segment it completes, so
// the checkpoint moves only together with the events it stands for.
func (t *Tail) livePage(ctx context.Context, cfg TailConfig) error {
	from, fresh := State{Segments: t.held}.Checkpoint(), false
	t.mu.Lock()
	oldestFirst := t.bf.oldestFirst
	t.mu.Unlock()
	if from == "" && !oldestFirst {
		// An empty store starts live at now; the backfill reads what came before, newest first.
		// The start is kept across failed commits, so a store that fails for a while does not
		// push it forward.
		if t.liveStart == "" {
			t.liveStart = FloorLogID(cfg.Clock.Now())
		}
		from, fresh = t.liveStart, true
	}
	if err := t.turn(ctx, cfg); err != nil {
		return err
	}
	pollAt := cfg.Clock.Now()
	events, _, err := cfg.Reader.CheckpointLogs(ctx, from, PageSize)
	if err == nil {
		err = checkPage(events, from)
	}
	if err != nil {
		if fresh && syntheticRefused(err) {
			t.fallBackToOldest(fmt.Sprintf("Auth0 did not accept a synthetic checkpoint at the current time (%v)", err))
			return nil
		}
		return err
	}
	if err := ctx.Err(); err != nil {
		return err // stopped between fetching and committing: the page is read again on resume
	}
	last := t.lastSegment()
	seg := Segment{FromID: from, ToID: from, From: idTimeOr(from, pollAt), To: last.To}
	if from == "" && len(events) > 0 {
		// Reading from the oldest log: the stretch starts at the first event Auth0 still holds.
		first := idTimeOr(events[0].LogID, events[0].Date)
		seg.FromID, seg.From = FloorLogID(first), first
	}
	if len(events) > 0 {
		if lost, at, ok := t.checkpointLost(cfg, from, events[0], pollAt); ok {
			seg.FromID, seg.From = lost, at
		}
		seg.ToID = events[len(events)-1].LogID
	}
	full := len(events) == PageSize
	if full {
		seg.To = maxTime(seg.To, idTimeOr(seg.ToID, pollAt))
	} else {
		seg.To = maxTime(seg.To, pollAt)
	}
	seg.To = maxTime(seg.To, seg.From)
	var res CommitResult
	if seg.ToID != "" { // else oldest-first on an empty tenant: nothing to hold yet, only a poll
		if res, err = t.commit(ctx, cfg, events, seg); err != nil {
			return err
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	// Only the time after what earlier pages saw, so idle polls do not count the same seconds
	// again and again.
	t.bf.rates.observe(maxTime(seg.From, last.To), seg.To, events)
	t.live.add(len(events), res, full)
	t.caughtUp = !full
	if !full {
		t.nextPoll = pollAt.Add(cfg.PollInterval)
	}
	return nil
}

// commit stores a page and its segment and mirrors the merge locally, so the next page starts
// from the new checkpoint without reading the engine's state again.
func (t *Tail) commit(ctx context.Context, cfg TailConfig, events []event.Event, seg Segment) (CommitResult, error) {
	res, err := cfg.Engine.Commit(ctx, cfg.Tenant, Batch{Events: events, Segment: seg, Fence: cfg.Fence})
	if err != nil {
		if errors.Is(err, ErrFenced) {
			return res, err
		}
		return res, engineError{err}
	}
	t.held = MergeSegments(t.held, seg)
	t.announceCommit()
	return res, nil
}

func (t *Tail) lastSegment() Segment {
	if len(t.held) == 0 {
		return Segment{}
	}
	return t.held[len(t.held)-1]
}

// checkpointLost reports a checkpoint Auth0 no longer holds: it is older than the plan's
// retention and the first event after it is more than a second newer, so whatever lay between
// was dropped. The stretch then restarts at the first event's second and the hole stays a gap.
func (t *Tail) checkpointLost(cfg TailConfig, from string, first event.Event, now time.Time) (string, time.Time, bool) {
	edge := now.Add(-cfg.Auth0Retention)
	fromAt, ok := LogIDTime(from)
	firstAt, ok2 := LogIDTime(first.LogID)
	if !ok || !ok2 || !fromAt.Before(edge) || firstAt.Sub(fromAt) <= time.Second {
		return "", time.Time{}, false
	}
	// Auth0 holds every event newer than its retention edge and returned none before first, so
	// the stretch is complete from the edge on; before it, the events are gone.
	restart, at := FloorLogID(edge.Add(time.Second)), edge
	if restart >= first.LogID {
		restart, at = FloorLogID(firstAt), firstAt
	}
	if restart <= from || restart >= first.LogID {
		return "", time.Time{}, false
	}
	t.notice(CauseCheckpointMissing, fmt.Sprintf(
		"Auth0 no longer holds the checkpoint of %s (older than the plan's %s retention): the events from then to %s are lost unless the store held them, and are recorded as a gap",
		fromAt.UTC().Format(time.RFC3339), cfg.Auth0Retention, at.UTC().Format(time.RFC3339)))
	return restart, at, true
}

// checkPage guards the checkpoint contract: ascending ids strictly after from. A server that
// answers otherwise (search mode, say) would corrupt the segments.
func checkPage(events []event.Event, from string) error {
	prev := from
	for i := range events {
		id := events[i].LogID
		if id == "" || id <= prev {
			return fmt.Errorf("Auth0 returned logs out of checkpoint order after %q (log %d has id %q): %w", from, i, id, errOrder)
		}
		prev = id
	}
	return nil
}

var errOrder = errors.New("checkpoint pages must be ascending by log_id and after the checkpoint")

// syntheticRefused reports whether a synthetic from was refused: a 400, or a page older than asked.
func syntheticRefused(err error) bool {
	var ae *auth0.Error
	return errors.Is(err, errOrder) || errors.As(err, &ae) && ae.Status == http.StatusBadRequest
}

// add counts one page.
func (r *ReadStats) add(read int, res CommitResult, full bool) {
	r.Requests++
	if full {
		r.FullPages++
	} else {
		r.Polls++
	}
	r.EventsRead += int64(read)
	r.EventsStored += int64(res.Stored)
	r.Wasted += int64(res.Duplicates)
}

// backgroundPriority marks the tail's requests as background work for the client's scheduler,
// so interactive queries go first when both wait for the tenant's budget.
func backgroundPriority(ctx context.Context) context.Context {
	return auth0.WithPriority(ctx, auth0.PriorityBackground)
}
