package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

const (
	// firstChunkSpan is the first chunk's length, before the backfill has measured the tenant's
	// rate; later chunks are sized from what earlier ones read.
	firstChunkSpan = 6 * time.Hour
	minChunkSpan   = time.Minute
	maxChunkSpan   = 7 * 24 * time.Hour
)

// backfill is the history reader's state. Checkpoint mode only reads forward, so history is read
// in chunks that each start at a synthetic from id (FloorLogID of the chunk's start time) and
// read forward until they reach the next held stretch, newest chunk first.
type backfill struct {
	stats         BackfillStatus
	chunk         *chunk
	oldestFirst   bool // synthetic ids are not honoured: open-ended chunks read from the oldest log
	reachedOldest bool // the open-ended chunk at the window's start finished
	rates         rateModel
	// edge is the oldest time Auth0 was seen to hold, learned when a chunk's first event came
	// far later than the tenant's rate allows: a plan keeping less than Auth0Retention says.
	edge time.Time
}

// droppedAfter is how many events an ordinary day (rateModel.quietExpected) must bring before a
// chunk's first event for their absence to mean Auth0 dropped them rather than a quiet stretch: at
// 20 expected, a quiet stretch that long happens with odds of about one in five hundred million.
const droppedAfter = 20

// chunk is one forward read from cursor to stop (the next held stretch's FromID).
type chunk struct {
	cursor, stop string
	startAt      time.Time
	synthetic    bool // cursor is a synthetic id, not one Auth0 issued
	// open is true when no held stretch precedes the chunk: it starts the window.
	open   bool
	pages  int
	events int64
}

// window is where the backfill reaches back to: BackfillDays, capped by both retentions.
func window(cfg TailConfig, now time.Time) time.Time {
	d := min(time.Duration(cfg.BackfillDays)*24*time.Hour, cfg.Auth0Retention)
	if cfg.StoreRetention > 0 {
		d = min(d, cfg.StoreRetention)
	}
	return now.Add(-d)
}

// backfillPage reads one page of the current chunk, planning one if needed. worked is false when
// there is nothing to backfill.
func (t *Tail) backfillPage(ctx context.Context, cfg TailConfig, now time.Time) (worked bool, err error) {
	if cfg.BackfillDays < 0 {
		return false, nil
	}
	t.mu.Lock()
	c := t.bf.chunk
	t.mu.Unlock()
	if c == nil {
		if c = t.plan(cfg, now); c == nil {
			return false, nil
		}
	}
	if err := t.turn(ctx, cfg); err != nil {
		return true, err
	}
	events, _, err := cfg.Reader.CheckpointLogs(ctx, c.cursor, PageSize)
	if err == nil {
		err = checkPage(events, c.cursor)
	}
	if err != nil {
		if c.synthetic && c.pages == 0 && syntheticRefused(err) {
			t.fallBackToOldest(fmt.Sprintf("Auth0 did not honour the synthetic checkpoint %s (%v)", c.startAt.UTC().Format(time.RFC3339), err))
			return true, nil
		}
		return true, err
	}
	if err := ctx.Err(); err != nil {
		return true, err
	}
	// Events past the chunk's stop are already held: read twice, not stored again.
	n := sort.Search(len(events), func(i int) bool { return events[i].LogID > c.stop })
	keep, wasted := events[:n], len(events)-n
	reached := wasted > 0 || len(events) < PageSize
	dropped := false
	if c.pages == 0 && len(events) > 0 {
		t.mu.Lock()
		dropped = c.cursor == "" || t.bf.rates.quietExpected(c.startAt, idTimeOr(events[0].LogID, events[0].Date)) >= droppedAfter
		t.mu.Unlock()
	}
	seg := chunkSegment(c, keep, reached, dropped)
	res, err := t.commit(ctx, cfg, keep, seg)
	if err != nil {
		return true, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.bf.rates.observe(seg.From, seg.To, keep)
	t.bf.stats.add(len(events), res, len(events) == PageSize)
	t.bf.stats.Wasted += int64(wasted)
	c.cursor, c.pages, c.events = seg.ToID, c.pages+1, c.events+int64(len(keep))
	t.bf.chunk = c
	if dropped && c.cursor != "" {
		// Auth0 holds nothing older than the first event it returned: that is the plan's
		// retention, and the backfill reaches back no further.
		t.bf.edge = maxTime(t.bf.edge, idTimeOr(events[0].LogID, events[0].Date))
		t.bf.stats.Auth0HoldsFrom = t.bf.edge
	}
	if reached {
		t.bf.stats.Chunks++
		t.bf.reachedOldest = t.bf.reachedOldest || c.open
		t.bf.chunk = nil
	}
	return true, nil
}

// chunkSegment is the stretch a chunk's page completes. When Auth0 evidently dropped what lies
// between the chunk's start and the first event it returned (dropped), the stretch starts at that
// event, or claims nothing if the page held nothing new, so coverage never vouches for events
// that existed and were not read.
func chunkSegment(c *chunk, keep []event.Event, reached, dropped bool) Segment {
	seg := Segment{FromID: c.cursor, From: idTimeOr(c.cursor, c.startAt)}
	if c.pages == 0 {
		seg.From = c.startAt
		if dropped && len(keep) > 0 {
			first := idTimeOr(keep[0].LogID, keep[0].Date)
			if f := FloorLogID(first); f > c.cursor && f < keep[0].LogID {
				seg.FromID, seg.From = f, first
			}
		}
		if dropped && len(keep) == 0 {
			seg.FromID = c.stop
		}
	}
	if reached {
		seg.ToID, seg.To = c.stop, idTimeOr(c.stop, seg.From)
	} else {
		seg.ToID = keep[len(keep)-1].LogID
		seg.To = idTimeOr(seg.ToID, seg.From)
	}
	seg.To = maxTime(seg.To, seg.From)
	return seg
}

// plan picks the newest hole Auth0 still holds and the chunk that fills its newest part.
func (t *Tail) plan(cfg TailConfig, now time.Time) *chunk {
	t.mu.Lock()
	defer t.mu.Unlock()
	lostBefore := maxTime(now.Add(-cfg.Auth0Retention), t.bf.edge)
	floor := maxTime(window(cfg, now), t.bf.edge)
	if t.bf.reachedOldest {
		floor = time.Time{}
	}
	gaps := Gaps(t.held, floor, lostBefore)
	t.bf.stats.WindowFrom = window(cfg, now)
	t.bf.stats.Progress = progress(gaps, t.bf.stats.WindowFrom, now)
	var g *Gap
	for i := len(gaps) - 1; i >= 0; i-- {
		if !gaps[i].Lost {
			g = &gaps[i]
			break
		}
	}
	t.bf.stats.Done = g == nil
	if g == nil {
		return nil
	}
	c := &chunk{cursor: g.FromID, stop: g.ToID, startAt: g.From, synthetic: g.OpenStart, open: g.OpenStart}
	if span := t.chunkSpan(cfg, g.To); !t.bf.oldestFirst && g.Duration() > span+span/2 {
		c.startAt = g.To.Add(-span).Truncate(time.Second)
		c.cursor, c.synthetic, c.open = FloorLogID(c.startAt), true, false
	}
	if c.open && t.bf.oldestFirst {
		c.cursor, c.synthetic = "", false
	}
	t.bf.chunk = c
	return c
}

// chunkSpan is how far back from end ChunkPages pages reach at the rates measured so far.
func (t *Tail) chunkSpan(cfg TailConfig, end time.Time) time.Duration {
	if span, ok := t.bf.rates.spanEnding(end, float64(cfg.ChunkPages*PageSize)); ok {
		return span
	}
	return firstChunkSpan
}

// progress is the share of [from, now) not in a fillable gap.
func progress(gaps []Gap, from, now time.Time) float64 {
	total := now.Sub(from)
	if total <= 0 {
		return 1
	}
	missing := time.Duration(0)
	for _, g := range gaps {
		if !g.Lost && g.To.After(from) {
			missing += g.To.Sub(maxTime(g.From, from))
		}
	}
	return max(0, 1-float64(missing)/float64(total))
}

// fallBackToOldest switches open-ended reads to the oldest log Auth0 holds, for a tenant that does
// not honour synthetic from ids; the backfill then reads oldest first.
func (t *Tail) fallBackToOldest(why string) {
	t.mu.Lock()
	t.bf.oldestFirst, t.bf.chunk = true, nil
	t.bf.stats.OldestFirst = true
	t.bf.stats.Note = why + "; reading from the oldest log Auth0 holds instead, oldest first"
	note := t.bf.stats.Note
	t.mu.Unlock()
	t.notice(CauseSyntheticFromFails, note)
}
