// Package baseline says what a count should be: for each bucket, an expected value, a band and an
// anomaly score, from the same bucket on earlier days or weeks.
//
// Auth0 keeps 1 to 30 days of logs and the tenant log store grows from there, so history is often
// short. The method therefore degrades in steps, bucket by bucket:
//
//   - same time of the week, over up to 8 earlier weeks, once at least 2 of them were read;
//   - else the same time of the day, over up to 7 earlier days, once at least 2 of them were read;
//   - else no estimate (nil), and the caller says there is too little history.
//
// The expected value is the median of the samples and the spread their median absolute deviation
// (scaled to a standard deviation), both robust to an attack in the history. Counts are never less
// noisy than a Poisson process, so the spread is at least the square root of the expected value
// (and at least 1): two quiet samples that happen to agree do not make a band of zero width.
package baseline

import (
	"math"
	"slices"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
)

// Method is how a bucket's expected value was formed.
type Method int

// The methods, from least to most history.
const (
	None       Method = iota // too little history
	HourOfDay                // same time of the day on earlier days
	HourOfWeek               // same time of the week on earlier weeks
)

// Limits of the method. They are the product's, not a tuning knob per tenant: docs/decisions.md
// says why.
const (
	// K is the band's half-width in spreads: a bucket outside expected ± K·spread is anomalous.
	K = 4.0
	// MinSamples is the fewest earlier days or weeks a bucket needs for an estimate.
	MinSamples = 2
	// MaxWeeks and MaxDays bound the samples of each method.
	MaxWeeks = 8
	MaxDays  = 7
	// madScale turns a median absolute deviation into a standard deviation for normal noise.
	madScale = 1.4826
)

// Day and Week are the periods the methods compare.
const (
	Day  = 24 * time.Hour
	Week = 7 * Day
)

// History is the lookback a range needs for the full method: 8 weeks.
const History = MaxWeeks * Week

// Counts is one series over buckets that start History (or less) before the range: Known[i] says
// whether bucket i was read in full; Values[i] means nothing where it was not.
type Counts struct {
	Buckets aggregate.Buckets
	Values  []int64
	Known   []bool
}

// Band is the estimate for each bucket of the range, in bucket order; an entry is nil where there
// is no estimate (Expected, Lower, Upper) or no observed count to score (Score).
type Band struct {
	Expected, Lower, Upper, Score []*float64
	// Methods counts the range's buckets by method; the caller words them as a notice.
	Methods map[Method]int
}

// Estimate returns the band of the buckets of c from index first on. now is the end of what was
// read: the bucket holding it has only run for part of its width, so its expected value and band
// are scaled to that part and its score compares like with like.
func Estimate(c Counts, first int, now time.Time) Band {
	n := c.Buckets.N - first
	if n < 0 {
		n = 0
	}
	b := Band{
		Expected: make([]*float64, n), Lower: make([]*float64, n), Upper: make([]*float64, n), Score: make([]*float64, n),
		Methods: map[Method]int{},
	}
	step := c.Buckets.Step
	if step <= 0 || Day%step != 0 {
		b.Methods[None] = n
		return b
	}
	perDay := int(Day / step)
	samples := make([]float64, 0, MaxWeeks)
	for j := range n {
		i := first + j
		method := None
		samples = gather(c, i, 7*perDay, MaxWeeks, samples[:0])
		if len(samples) >= MinSamples {
			method = HourOfWeek
		} else if samples = gather(c, i, perDay, MaxDays, samples[:0]); len(samples) >= MinSamples {
			method = HourOfDay
		}
		b.Methods[method]++
		if method == None {
			continue
		}
		expected, dev := estimate(samples)
		// A bucket that has run for a fraction f of its width expects f of the count; its
		// deviation shrinks in proportion, its Poisson noise with the square root.
		f := elapsed(c.Buckets, i, now)
		expected *= f
		spread := math.Max(dev*f, poisson(expected))
		b.Expected[j] = ptr(expected)
		b.Lower[j] = ptr(math.Max(0, expected-K*spread))
		b.Upper[j] = ptr(expected + K*spread)
		if i < len(c.Known) && c.Known[i] {
			b.Score[j] = ptr((float64(c.Values[i]) - expected) / spread)
		}
	}
	return b
}

// gather appends the known values of the buckets lag, 2·lag, … before i, at most max of them.
func gather(c Counts, i, lag, max int, out []float64) []float64 {
	for k := 1; k <= max; k++ {
		h := i - k*lag
		if h < 0 {
			break
		}
		if h < len(c.Known) && c.Known[h] {
			out = append(out, float64(c.Values[h]))
		}
	}
	return out
}

// estimate is the samples' median and their robust deviation (a standard deviation were the noise
// normal); the caller floors it at Poisson noise.
func estimate(samples []float64) (expected, dev float64) {
	expected = median(samples)
	abs := make([]float64, len(samples))
	for i, s := range samples {
		abs[i] = math.Abs(s - expected)
	}
	return expected, madScale * median(abs)
}

func poisson(expected float64) float64 {
	return math.Sqrt(math.Max(expected, 1))
}

// elapsed is the fraction of bucket i that lies before now, in (0, 1].
func elapsed(b aggregate.Buckets, i int, now time.Time) float64 {
	start := b.Time(i)
	if !now.Before(start.Add(b.Step)) {
		return 1
	}
	f := float64(now.Sub(start)) / float64(b.Step)
	return math.Max(f, 1.0/60) // a bucket a moment old is still compared with something
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

func ptr(f float64) *float64 { return &f }
