package aggregate

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/models"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewBucketsAlignment(t *testing.T) {
	plus5 := time.FixedZone("UTC+5", 5*3600)
	tests := []struct {
		name      string
		from, to  time.Time
		step      time.Duration
		wantStart time.Time
		wantN     int
	}{
		{"daily from mid-day starts at midnight UTC", at("2024-03-10T15:30:00Z"), at("2024-03-13T09:00:00Z"), 24 * time.Hour, at("2024-03-10T00:00:00Z"), 4},
		{"daily in another zone still aligns to UTC", time.Date(2024, 3, 10, 3, 0, 0, 0, plus5), at("2024-03-11T00:00:00Z"), 24 * time.Hour, at("2024-03-09T00:00:00Z"), 2},
		{"hourly starts on the hour", at("2024-03-10T15:59:59Z"), at("2024-03-10T18:00:00Z"), time.Hour, at("2024-03-10T15:00:00Z"), 3},
		{"to on a boundary is excluded", at("2024-03-10T00:00:00Z"), at("2024-03-10T03:00:00Z"), time.Hour, at("2024-03-10T00:00:00Z"), 3},
		{"to just past a boundary adds a bucket", at("2024-03-10T00:00:00Z"), at("2024-03-10T03:00:00.001Z"), time.Hour, at("2024-03-10T00:00:00Z"), 4},
		{"weekly aligns to the epoch's Thursday", at("2024-03-10T12:00:00Z"), at("2024-03-11T00:00:00Z"), 7 * 24 * time.Hour, at("2024-03-07T00:00:00Z"), 1},
		{"before 1970 rounds down, not toward zero", at("1969-12-31T12:00:00Z"), at("1970-01-01T12:00:00Z"), 24 * time.Hour, at("1969-12-31T00:00:00Z"), 2},
		{"empty range has no buckets", at("2024-03-10T00:00:00Z"), at("2024-03-10T00:00:00Z"), time.Hour, at("2024-03-10T00:00:00Z"), 0},
		{"reversed range has no buckets", at("2024-03-10T05:00:00Z"), at("2024-03-10T00:00:00Z"), time.Hour, at("2024-03-10T05:00:00Z"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuckets(tt.from, tt.to, tt.step)
			assert.True(t, tt.wantStart.Equal(b.Start), "start %s, want %s", b.Start, tt.wantStart)
			assert.Equal(t, time.UTC, b.Start.Location())
			assert.Equal(t, tt.wantN, b.N)
			assert.Equal(t, tt.step, b.Step)
		})
	}
}

func TestBucketsIndexAndTime(t *testing.T) {
	b := NewBuckets(at("2024-03-10T00:30:00Z"), at("2024-03-10T03:00:00Z"), time.Hour)
	require.Equal(t, 3, b.N)
	tests := []struct {
		t    string
		want int
	}{
		{"2024-03-09T23:59:59.999Z", -1},
		{"2024-03-10T00:00:00Z", 0}, // before from but inside the aligned first bucket
		{"2024-03-10T00:59:59.999Z", 0},
		{"2024-03-10T01:00:00Z", 1},
		{"2024-03-10T02:59:59.999999999Z", 2},
		{"2024-03-10T03:00:00Z", -1},
		{"2030-01-01T00:00:00Z", -1},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, b.Index(at(tt.t)), tt.t)
	}
	assert.Equal(t, at("2024-03-10T02:00:00Z"), b.Time(2))
	assert.Equal(t, at("2024-03-10T03:00:00Z"), b.End())
	assert.Equal(t, -1, Buckets{}.Index(at("2024-03-10T00:00:00Z")))
	assert.Equal(t, 0, b.Index(at("2024-03-10T05:00:00+05:00")), "zones do not matter")
}

func TestBucketsValidate(t *testing.T) {
	from := at("2024-03-01T00:00:00Z")
	err := NewBuckets(from, from.Add(30*24*time.Hour), time.Second).Validate()
	require.Error(t, err)
	assert.Equal(t, "the interval 1s over 30 days gives 2,592,000 buckets, more than the 100,000 allowed; use an interval of at least 26s or a shorter time range", err.Error())

	assert.NoError(t, NewBuckets(from, from.Add(30*24*time.Hour), time.Hour).Validate())
	assert.NoError(t, Buckets{Step: time.Second, N: MaxBuckets}.Validate(), "the cap itself is allowed")
	assert.NoError(t, NewBuckets(from, from, time.Hour).Validate(), "an empty range is not an error")
	assert.ErrorContains(t, NewBuckets(from, from.Add(time.Hour), 0).Validate(), "positive interval")

	// The suggested interval must itself pass, whatever the range.
	for _, tc := range []struct {
		span time.Duration
		step time.Duration
	}{
		{30 * 24 * time.Hour, time.Second},
		{365 * 24 * time.Hour, time.Second},
		{10 * 365 * 24 * time.Hour, time.Minute},
		{3 * 24 * time.Hour, time.Second},
		{90 * 24 * time.Hour, 10 * time.Second},
	} {
		err := NewBuckets(from.Add(7*time.Second), from.Add(tc.span), tc.step).Validate()
		require.Error(t, err, tc)
		suggested := suggestedInterval(t, err.Error())
		assert.NoError(t, NewBuckets(from.Add(7*time.Second), from.Add(tc.span), suggested).Validate(), "%v suggests %s", tc, suggested)
	}
}

// suggestedInterval reads the interval a Validate message recommends, with the query model's own
// parser, so the test also proves the message quotes something the editor accepts.
func suggestedInterval(t *testing.T, msg string) time.Duration {
	t.Helper()
	_, rest, ok := strings.Cut(msg, "use an interval of at least ")
	require.True(t, ok, msg)
	s, _, _ := strings.Cut(rest, " ")
	d, err := models.ParseInterval(s)
	require.NoError(t, err)
	return d
}

func TestFormatInterval(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Second: "1s", 90 * time.Second: "90s", 5 * time.Minute: "5m", 2 * time.Hour: "2h",
		24 * time.Hour: "1d", 3 * 24 * time.Hour: "3d", 14 * 24 * time.Hour: "2w", 1500 * time.Millisecond: "1.5s",
	} {
		assert.Equal(t, want, FormatInterval(d))
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 2592000: "2,592,000", -1234567: "-1,234,567"} {
		assert.Equal(t, want, thousands(n))
	}
}

// The cursor's remembered bucket must never change an answer, whatever order times come in.
func TestCursorAgreesWithDivision(t *testing.T) {
	b := NewBuckets(at("2024-03-10T00:00:00.5Z"), at("2024-03-17T00:00:00Z"), 7*time.Minute+3*time.Second)
	r := rand.New(rand.NewPCG(3, 4))
	c := b.cursor()
	lo, hi := at("2024-03-09T00:00:00Z").UnixNano(), at("2024-03-18T00:00:00Z").UnixNano()
	for range 20_000 {
		tm := time.Unix(0, lo+r.Int64N(hi-lo))
		if r.IntN(4) == 0 { // exact boundaries are where an off-by-one would hide
			tm = b.Time(r.IntN(b.N + 2))
		}
		want := -1
		if d := tm.Sub(b.Start); d >= 0 && d < time.Duration(b.N)*b.Step {
			want = int(d / b.Step)
		}
		require.Equal(t, want, c.index(tm), tm)
	}
}
