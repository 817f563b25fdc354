package aggregate

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// MaxBuckets caps how many buckets one series may have. Beyond it a panel cannot draw the points
// anyway, and every grouped series would cost megabytes.
const MaxBuckets = 100_000

// epoch is the alignment origin, so buckets line up across queries, panels and time zones: a 1d
// bucket starts at midnight UTC, a 1h bucket on the hour.
var epoch = time.Unix(0, 0).UTC()

// Buckets is a run of N equal, adjacent time buckets starting at Start. It is a value so callers can
// pass it around freely; the zero value has no buckets.
type Buckets struct {
	// Start is the beginning of bucket 0, a UTC multiple of Step since the Unix epoch.
	Start time.Time
	// Step is every bucket's width.
	Step time.Duration
	// N is the number of buckets.
	N int
}

// NewBuckets returns the aligned buckets that cover [from, to): the first starts at or before from,
// the last contains the instant just before to. An empty range or a non-positive step gives N = 0;
// call Validate before using the result for a query.
func NewBuckets(from, to time.Time, step time.Duration) Buckets {
	b := Buckets{Step: step}
	if step <= 0 {
		b.Start = from.UTC()
		return b
	}
	b.Start = floorStep(from, step)
	if !to.After(from) {
		return b
	}
	span := to.Sub(b.Start)
	n := span / step
	if span%step != 0 {
		n++
	}
	b.N = int(n)
	return b
}

// floorStep rounds t down to a multiple of step since the epoch. Duration division truncates
// toward zero, so times before 1970 need one more step back.
func floorStep(t time.Time, step time.Duration) time.Time {
	off := t.Sub(epoch)
	q := off / step
	if off%step < 0 {
		q--
	}
	return epoch.Add(q * step)
}

// Index returns the bucket holding t, or -1 when t is before Start or at or after the end. A time
// exactly on a boundary belongs to the bucket that starts there.
func (b Buckets) Index(t time.Time) int {
	c := b.cursor()
	return c.index(t)
}

// cursor is Index for loops: it works on Unix seconds and nanoseconds rather than time.Time.Sub
// (whose overflow check costs more than the rest of a count), and it remembers the last bucket
// hit, because events arrive sorted by date and most fall in the same bucket as the one before,
// which saves a 64-bit division per event.
type cursor struct {
	b         Buckets
	startSec  int64
	startNsec int64
	lo, hi    time.Duration // offsets from Start of the remembered bucket
	last      int
}

func (b Buckets) cursor() cursor {
	return cursor{b: b, startSec: b.Start.Unix(), startNsec: int64(b.Start.Nanosecond()), last: -1}
}

// maxSpanSeconds keeps the nanosecond arithmetic in index from overflowing (about 292 years).
const maxSpanSeconds = int64(math.MaxInt64/time.Second) - 1

func (c *cursor) index(t time.Time) int {
	if c.b.N <= 0 || c.b.Step <= 0 {
		return -1
	}
	sec := t.Unix() - c.startSec
	if sec < 0 || sec > maxSpanSeconds {
		return -1 // sec < 0 is before Start whatever the nanoseconds, which are under a second
	}
	d := time.Duration(sec)*time.Second + time.Duration(int64(t.Nanosecond())-c.startNsec)
	if c.last >= 0 && d >= c.lo && d < c.hi {
		return c.last
	}
	if d < 0 {
		return -1
	}
	i := d / c.b.Step
	if i >= time.Duration(c.b.N) {
		return -1
	}
	c.last, c.lo, c.hi = int(i), i*c.b.Step, (i+1)*c.b.Step
	return c.last
}

// Time returns the start of bucket i, the timestamp a panel plots the bucket's value at.
func (b Buckets) Time(i int) time.Time {
	return b.Start.Add(time.Duration(i) * b.Step)
}

// Overlaps says whether bucket i shares any instant with [from, to).
func (b Buckets) Overlaps(i int, from, to time.Time) bool {
	return b.Time(i).Before(to) && b.Time(i+1).After(from)
}

// End returns the end (exclusive) of the last bucket.
func (b Buckets) End() time.Time {
	return b.Time(b.N)
}

// Validate rejects buckets a query must not compute: a non-positive step, or more than MaxBuckets
// buckets. The message says which interval would work, because the usual cause is a short interval
// over a long dashboard range.
func (b Buckets) Validate() error {
	if b.Step <= 0 {
		return fmt.Errorf("the interval %s is not valid: use a positive interval such as 1m, 1h or 1d", b.Step)
	}
	if b.N <= MaxBuckets {
		return nil
	}
	span := time.Duration(b.N) * b.Step
	minStep := span / MaxBuckets
	if span%MaxBuckets != 0 {
		minStep++
	}
	return fmt.Errorf("the interval %s over %s gives %s buckets, more than the %s allowed; use an interval of at least %s or a shorter time range",
		FormatInterval(b.Step), formatSpan(span), thousands(int64(b.N)), thousands(MaxBuckets), FormatInterval(roundUpInterval(minStep)))
}

// FormatInterval writes d the way users type intervals ("30s", "5m", "1d", "1w"), so error
// messages quote something the query editor accepts.
func FormatInterval(d time.Duration) string {
	units := []struct {
		size   time.Duration
		suffix string
	}{{7 * 24 * time.Hour, "w"}, {24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}}
	for _, u := range units {
		if d > 0 && d%u.size == 0 {
			return strconv.FormatInt(int64(d/u.size), 10) + u.suffix
		}
	}
	return d.String()
}

// roundUpInterval rounds a minimum interval up to a whole unit a person would type: seconds under a
// minute, minutes under an hour, hours under a day, days beyond.
func roundUpInterval(d time.Duration) time.Duration {
	unit := time.Second
	switch {
	case d > 24*time.Hour:
		unit = 24 * time.Hour
	case d > time.Hour:
		unit = time.Hour
	case d > time.Minute:
		unit = time.Minute
	}
	if r := d % unit; r != 0 {
		d += unit - r
	}
	return d
}

// formatSpan describes a time range for a message: whole days when it is at least two days long.
func formatSpan(d time.Duration) string {
	day := 24 * time.Hour
	switch {
	case d >= 2*day && d%day == 0:
		return strconv.FormatInt(int64(d/day), 10) + " days"
	case d >= 2*day:
		return strconv.FormatFloat(float64(d)/float64(day), 'f', 1, 64) + " days"
	}
	return FormatInterval(d)
}

// thousands writes n with comma separators, so large bucket counts are readable at a glance.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + thousands(-n)
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	return string(out)
}
