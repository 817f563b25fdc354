package baseline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
)

var monday = time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)

// hourly is an hourly series of days days ending at monday+days, every bucket read.
func hourly(days int, value func(t time.Time) int64) Counts {
	b := aggregate.NewBuckets(monday, monday.Add(time.Duration(days)*Day), time.Hour)
	c := Counts{Buckets: b, Values: make([]int64, b.N), Known: make([]bool, b.N)}
	for i := range b.N {
		c.Values[i], c.Known[i] = value(b.Time(i)), true
	}
	return c
}

func TestTheMethodDegradesWithTheHistory(t *testing.T) {
	flat := func(time.Time) int64 { return 100 }
	for _, tc := range []struct {
		name    string
		days    int
		want    Method
		wantAll bool
	}{
		{"a day is too little", 2, None, false},
		{"two earlier days give the same hour of the day", 3, HourOfDay, true},
		{"two earlier weeks give the same hour of the week", 15, HourOfWeek, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := hourly(tc.days, flat)
			first := c.Buckets.N - 24 // the last day is the range
			band := Estimate(c, first, c.Buckets.End())
			assert.Equal(t, map[Method]int{tc.want: 24}, band.Methods)
			for j := range 24 {
				if tc.want == None {
					assert.Nil(t, band.Expected[j])
					assert.Nil(t, band.Score[j])
					continue
				}
				require.NotNil(t, band.Expected[j])
				assert.InDelta(t, 100, *band.Expected[j], 1e-9)
				assert.InDelta(t, 0, *band.Score[j], 1e-9)
				// Identical samples have no deviation: the band is Poisson noise, never zero wide.
				assert.InDelta(t, 100+K*10, *band.Upper[j], 1e-9)
				assert.InDelta(t, 100-K*10, *band.Lower[j], 1e-9)
			}
		})
	}
}

func TestTheSameHourOfTheWeekFollowsTheWeekend(t *testing.T) {
	// Weekdays 100, weekends 20 an hour: a Saturday compared with earlier days would look quiet
	// against Friday; against earlier Saturdays it is normal.
	weekly := func(t time.Time) int64 {
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			return 20
		}
		return 100
	}
	c := hourly(27, weekly) // Monday 16 Nov to Saturday 12 Dec; the last day is a Saturday
	first := c.Buckets.N - 24
	require.Equal(t, time.Saturday, c.Buckets.Time(first).Weekday())
	band := Estimate(c, first, c.Buckets.End())
	assert.Equal(t, map[Method]int{HourOfWeek: 24}, band.Methods)
	assert.InDelta(t, 20, *band.Expected[0], 1e-9)
	assert.InDelta(t, 0, *band.Score[0], 1e-9)
}

func TestAnAttackInTheHistoryDoesNotRaiseTheBaseline(t *testing.T) {
	c := hourly(8, func(time.Time) int64 { return 50 })
	attacked := c.Buckets.Index(monday.Add(6*Day + 3*time.Hour))
	c.Values[attacked] = 5000 // yesterday, same hour
	first := c.Buckets.N - 24
	band := Estimate(c, first, c.Buckets.End())
	assert.InDelta(t, 50, *band.Expected[3], 1e-9, "the median ignores one attacked day")
}

func TestUnreadBucketsAreNeitherSamplesNorScored(t *testing.T) {
	c := hourly(4, func(time.Time) int64 { return 30 })
	first := c.Buckets.N - 24
	// Two of the three earlier days were not read at 05:00: one sample is too few.
	c.Known[first+5-24], c.Known[first+5-48] = false, false
	c.Known[first+6] = false // the observed count at 06:00 was not read
	band := Estimate(c, first, c.Buckets.End())
	assert.Nil(t, band.Expected[5])
	assert.Nil(t, band.Score[5])
	require.NotNil(t, band.Expected[6], "the band does not need the observed count")
	assert.Nil(t, band.Score[6], "a bucket not read has no score, not the score of zero")
	assert.Equal(t, map[Method]int{HourOfDay: 23, None: 1}, band.Methods)
}

func TestABucketInProgressIsComparedWithTheSameShare(t *testing.T) {
	c := hourly(3, func(time.Time) int64 { return 120 })
	first := c.Buckets.N - 24
	now := c.Buckets.Time(c.Buckets.N - 1).Add(15 * time.Minute)
	c.Values[c.Buckets.N-1] = 30 // a quarter of an hour at the usual rate
	band := Estimate(c, first, now)
	last := len(band.Expected) - 1
	assert.InDelta(t, 30, *band.Expected[last], 1e-9)
	assert.InDelta(t, 0, *band.Score[last], 1e-9)
}

func TestAnAttackScoresHighAndAQuietHourDoesNot(t *testing.T) {
	c := hourly(15, func(t time.Time) int64 { return 40 + int64(t.Hour()) })
	first := c.Buckets.N - 24
	c.Values[first+10] += 100
	band := Estimate(c, first, c.Buckets.End())
	assert.Greater(t, *band.Score[10], K)
	assert.Greater(t, float64(c.Values[first+10]), *band.Upper[10])
	assert.InDelta(t, 0, *band.Score[11], 1e-9)
}

func TestABucketThatDoesNotDivideADayHasNoBaseline(t *testing.T) {
	b := aggregate.NewBuckets(monday, monday.Add(10*Day), 7*time.Hour)
	c := Counts{Buckets: b, Values: make([]int64, b.N), Known: make([]bool, b.N)}
	band := Estimate(c, b.N-4, b.End())
	assert.Equal(t, map[Method]int{None: 4}, band.Methods)
}
