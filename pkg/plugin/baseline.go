package plugin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/baseline"
	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/framer"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/plan"
	"github.com/seed/auth0logs-datasource/pkg/source"
)

// onDemandLookback is a baseline's history without the tenant log store: a week is enough for
// the same hour of the day, and reading more from Auth0 for every refresh would cost more than
// the baseline is worth. The store gives the full baseline.History at no Auth0 cost.
const onDemandLookback = 7 * baseline.Day

// baselineLookback is how much history a baseline of p reads: whole days, within the buckets a
// read may have.
func (d *Datasource) baselineLookback(p plan.Plan) time.Duration {
	lookback := baseline.History
	if d.router.Store == nil {
		lookback = onDemandLookback
	}
	room := time.Duration(max(plan.MaxBuckets-p.Buckets.N, 0)) * p.Buckets.Step
	return min(lookback, room.Truncate(baseline.Day))
}

// baselineFrame reads the history before p's range, from the store or on demand like any range,
// and returns the count of ans with its baseline, what the history cost, and a notice that says
// which method each bucket got and why some got none.
func (d *Datasource) baselineFrame(ctx context.Context, p plan.Plan, ans source.Answer, o framer.Options) (*data.Frame, fetch.Cost, []data.Notice) {
	count := aggregate.CountCells(ans.Cells, p.Buckets, false, 0, 0)[0]
	lookback := d.baselineLookback(p)
	h := p.History(lookback)
	var hist source.Answer
	var histErr error
	if lookback > 0 {
		hist, histErr = d.router.Cells(ctx, h)
	}
	histCount := aggregate.CountCells(hist.Cells, h.Buckets, false, 0, 0)[0]
	if histErr == nil && d.router.Store == nil {
		// On demand, a day before the tenant's oldest log reads as zero events: it is not a quiet
		// day but one nobody can know. (The store knows where its copy begins.)
		var begin time.Time
		if begin, histErr = d.logsBegin.get(ctx, d.retention); histErr == nil {
			hist.Unreadable = widest(hist.Unreadable, before(h.From, begin))
		}
	}

	// The range is read up to now: the end, or where the store's tail has got to. The bucket
	// holding now is scored against its elapsed share (baseline.Estimate), one after it not at all.
	now := p.To
	if ans.Pending != nil && ans.Pending.From.Before(now) {
		now = ans.Pending.From
	}
	all := aggregate.Buckets{Start: h.Buckets.Start, Step: p.Buckets.Step, N: h.Buckets.N + p.Buckets.N}
	c := baseline.Counts{Buckets: all, Values: append(histCount.Values, count.Values...)}
	histKnown := knownBuckets(h.Buckets, hist, histErr, h.To)
	rangeKnown := knownBuckets(p.Buckets, ans, nil, now)
	if len(rangeKnown) > 0 && p.Buckets.Start.Before(p.From) {
		rangeKnown[0] = false // the range starts inside it: part of its count is outside the range
	}
	c.Known = append(histKnown, rangeKnown...)
	band := baseline.Estimate(c, h.Buckets.N, now)
	frame := framer.Baseline(count, band, p.Buckets, p.Query.Baseline == models.BaselineScore, o)
	return frame, hist.Fetched.Cost, []data.Notice{baselineNotice(band, h, histKnown, hist.Fetched.Cost.Requests, histErr)}
}

// before is [from, t) when t is after from, else nil.
func before(from, t time.Time) *fetch.Interval {
	if !t.After(from) {
		return nil
	}
	return &fetch.Interval{From: from, To: t}
}

// logsBeginCache remembers the oldest log Auth0 held when last asked. Auth0 drops logs past its
// retention as time goes on, so the answer moves forward with the clock until it is asked again:
// for a tenant younger than its retention that errs towards knowing less, never more.
type logsBeginCache struct {
	mu     sync.Mutex
	oldest time.Time
	asked  time.Time
}

// logsBeginTTL is how long one answer (one Auth0 request) serves.
const logsBeginTTL = time.Hour

func (c *logsBeginCache) get(ctx context.Context, retention func(context.Context) retentionReport) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if since := time.Since(c.asked); !c.asked.IsZero() && since < logsBeginTTL {
		return c.oldest.Add(since), nil
	}
	r := retention(ctx)
	if r.Problem != "" {
		return time.Time{}, errors.New(r.Problem)
	}
	if r.Oldest.IsZero() { // no log at all: nothing before now is known
		r.Oldest = time.Now()
	}
	c.oldest, c.asked = r.Oldest, time.Now()
	return c.oldest, nil
}

// knownBuckets marks the buckets of b that were read up to now: none of them in what the fetch
// missed or nobody holds, and none starting at or after now. A history read that failed outright
// knows nothing.
func knownBuckets(b aggregate.Buckets, ans source.Answer, err error, now time.Time) []bool {
	known := make([]bool, b.N)
	if err != nil && ans.Fetched.Missing == nil {
		return known
	}
	gap := widest(ans.Fetched.Missing, ans.Unreadable)
	for i := range known {
		known[i] = b.Time(i).Before(now) && (gap == nil || !b.Overlaps(i, gap.From, gap.To))
	}
	return known
}

// baselineNotice says how the baseline was formed: the method of each bucket, the history it
// had, and what reading it cost.
func baselineNotice(band baseline.Band, h plan.Plan, known []bool, requests int, err error) data.Notice {
	var parts []string
	if n := band.Methods[baseline.HourOfWeek]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d buckets against the same time on up to %d earlier weeks", n, baseline.MaxWeeks))
	}
	if n := band.Methods[baseline.HourOfDay]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d against the same time on up to %d earlier days (the weekly pattern needs %d earlier weeks)", n, baseline.MaxDays, baseline.MinSamples))
	}
	if n := band.Methods[baseline.None]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d with no baseline: too little history (at least %d earlier days are needed)", n, baseline.MinSamples))
	}
	text := "Baseline: " + strings.Join(parts, "; ") + ". " + historySentence(h, known)
	if requests > 0 {
		text += fmt.Sprintf(" Reading the history cost %d Auth0 requests.", requests)
	}
	if err != nil {
		text += " Reading the history stopped early: " + strings.TrimSuffix(err.Error(), ".") + "."
	}
	severity := data.NoticeSeverityInfo
	if band.Methods[baseline.None] > 0 {
		severity = data.NoticeSeverityWarning
	}
	return data.Notice{Severity: severity, Inspect: data.InspectTypeMeta, Text: text}
}

// historySentence says from when the history was read, or that there was none.
func historySentence(h plan.Plan, known []bool) string {
	if h.Buckets.N == 0 {
		return "No history was read: the interval is too short for this range to have any room for it (use a longer interval)."
	}
	for i, k := range known {
		if k {
			return fmt.Sprintf("History is held from %s (looked back to %s).", h.Buckets.Time(i).UTC().Format(time.RFC3339), h.From.UTC().Format(time.RFC3339))
		}
	}
	return fmt.Sprintf("No history is held before the range (looked back to %s): the tenant log store grows it from the day it is turned on.", h.From.UTC().Format(time.RFC3339))
}
