package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// seg builds a segment whose ids sort like its hours, so id order and time order agree.
func seg(fromH, toH int) Segment {
	id := func(h int) string { return "900" + t0.Add(time.Duration(h)*time.Hour).Format("20060102150405") }
	return Segment{FromID: id(fromH), ToID: id(toH), From: t0.Add(time.Duration(fromH) * time.Hour), To: t0.Add(time.Duration(toH) * time.Hour)}
}

func TestMergeSegments(t *testing.T) {
	cases := []struct {
		name string
		held []Segment
		add  Segment
		want []Segment
	}{
		{"into empty", nil, seg(1, 2), []Segment{seg(1, 2)}},
		{"disjoint before", []Segment{seg(5, 6)}, seg(1, 2), []Segment{seg(1, 2), seg(5, 6)}},
		{"disjoint after", []Segment{seg(1, 2)}, seg(5, 6), []Segment{seg(1, 2), seg(5, 6)}},
		{"touching joins", []Segment{seg(1, 2)}, seg(2, 3), []Segment{seg(1, 3)}},
		{"backfill chunk reaching the next stretch", []Segment{seg(10, 20)}, seg(5, 11), []Segment{seg(5, 20)}},
		{"bridges two", []Segment{seg(1, 2), seg(4, 5), seg(8, 9)}, seg(2, 4), []Segment{seg(1, 5), seg(8, 9)}},
		{"inside changes nothing", []Segment{seg(1, 9)}, seg(3, 4), []Segment{seg(1, 9)}},
		{"reversed ignored", []Segment{seg(1, 2)}, Segment{FromID: "9", ToID: "1"}, []Segment{seg(1, 2)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := append([]Segment(nil), c.held...)
			assert.Equal(t, c.want, MergeSegments(c.held, c.add))
			assert.Equal(t, before, c.held, "held must not be modified")
		})
	}
}

func TestMergeKeepsLaterCompletionTime(t *testing.T) {
	// The live tail extends the same ToID when a poll finds nothing new: the later To wins.
	a := seg(1, 2)
	b := a
	b.FromID, b.From = a.ToID, a.To
	b.To = a.To.Add(30 * time.Second)
	got := MergeSegments([]Segment{a}, b)
	require.Len(t, got, 1)
	assert.Equal(t, a.From, got[0].From)
	assert.Equal(t, b.To, got[0].To)
}

func TestTrimSegments(t *testing.T) {
	held := []Segment{seg(1, 2), seg(3, 6), seg(8, 9)}
	got := TrimSegments(held, t0.Add(4*time.Hour))
	require.Len(t, got, 2)
	assert.Equal(t, t0.Add(4*time.Hour), got[0].From)
	assert.Equal(t, seg(3, 6).FromID, got[0].FromID)
	assert.Equal(t, seg(8, 9), got[1])
	assert.Empty(t, TrimSegments(held, t0.Add(10*time.Hour)))
}

func TestCovers(t *testing.T) {
	held := []Segment{seg(1, 3), seg(4, 6)}
	assert.True(t, Covers(held, t0.Add(time.Hour), t0.Add(3*time.Hour)))
	assert.True(t, Covers(held, t0.Add(4*time.Hour+time.Minute), t0.Add(5*time.Hour)))
	assert.False(t, Covers(held, t0.Add(2*time.Hour), t0.Add(5*time.Hour)), "a hole between stretches is not covered")
	assert.False(t, Covers(held, t0, t0.Add(2*time.Hour)))
	assert.False(t, Covers(nil, t0, t0.Add(time.Hour)))
}
