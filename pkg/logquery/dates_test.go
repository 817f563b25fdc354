package logquery

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDate(t *testing.T) {
	utc := func(y, mo, d, h, mi, s, ns int) time.Time {
		return time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC)
	}
	cases := []struct {
		in         string
		start, end time.Time
	}{
		{"2018", utc(2018, 1, 1, 0, 0, 0, 0), utc(2019, 1, 1, 0, 0, 0, 0)},
		{"2018-12", utc(2018, 12, 1, 0, 0, 0, 0), utc(2019, 1, 1, 0, 0, 0, 0)},
		{"2018-12-18", utc(2018, 12, 18, 0, 0, 0, 0), utc(2018, 12, 19, 0, 0, 0, 0)},
		{"2018-12-18Z", utc(2018, 12, 18, 0, 0, 0, 0), utc(2018, 12, 19, 0, 0, 0, 0)},
		{"2018-12-31T23", utc(2018, 12, 31, 23, 0, 0, 0), utc(2019, 1, 1, 0, 0, 0, 0)},
		{"2019-01-01T01:00", utc(2019, 1, 1, 1, 0, 0, 0), utc(2019, 1, 1, 1, 1, 0, 0)},
		{"2019-01-01T01:00:00", utc(2019, 1, 1, 1, 0, 0, 0), utc(2019, 1, 1, 1, 0, 1, 0)},
		{"2019-01-01T12:23:45Z", utc(2019, 1, 1, 12, 23, 45, 0), utc(2019, 1, 1, 12, 23, 46, 0)},
		{"2019-01-01T12:23:45.123Z", utc(2019, 1, 1, 12, 23, 45, 123e6), utc(2019, 1, 1, 12, 23, 45, 124e6)},
		{"2019-01-01T12:23:45.5", utc(2019, 1, 1, 12, 23, 45, 5e8), utc(2019, 1, 1, 12, 23, 45, 6e8)},
		{"2020-02-29", utc(2020, 2, 29, 0, 0, 0, 0), utc(2020, 3, 1, 0, 0, 0, 0)},
	}
	for _, tc := range cases {
		start, end, ok := parseDate(tc.in)
		require.True(t, ok, tc.in)
		assert.Equal(t, tc.start, start, tc.in)
		assert.Equal(t, tc.end, end, tc.in)
	}
	for _, bad := range []string{"", "Z", "18", "2018-1", "2018-13", "2018-00", "2019-02-29", "2018-12-32",
		"2018-12-18T24", "2018-12-18T01:60", "2018-12-18T01:00:61", "2018-12-18 01:00", "2018/12/18",
		"2018-12-18T", "2018-12-18T01:00:00.", "2018-12-18T01:00:00.1234567890", "2018-12-18T01:00:00+02:00",
		"2018-12-18T01:00.5", "yesterday", "2018-12-18ZZ"} {
		_, _, ok := parseDate(bad)
		assert.False(t, ok, "%q should not parse", bad)
	}
}

// TestDateBounds pins how a partial date behaves at each kind of range end, which follows
// Elasticsearch's rounding: a date names its whole period.
func TestDateBounds(t *testing.T) {
	cases := []struct {
		q           string
		match, miss []string
	}{
		{`date:{2018-12-18 TO *]`, []string{"2018-12-19T00:00:00Z"}, []string{"2018-12-18T23:59:59.999Z"}},
		{`date:[* TO 2018-12-18]`, []string{"2018-12-18T23:59:59.999Z"}, []string{"2018-12-19T00:00:00Z"}},
		{`date:[* TO 2018-12-18}`, []string{"2018-12-17T23:59:59.999Z"}, []string{"2018-12-18T00:00:00Z"}},
		{`date:2018-12-18`, []string{"2018-12-18T00:00:00Z", "2018-12-18T23:59:59.999Z"}, []string{"2018-12-19T00:00:00Z", "2018-12-17T23:59:59.999Z"}},
		{`date:"2019-01-01T01:00:00.000Z"`, []string{"2019-01-01T01:00:00Z"}, []string{"2019-01-01T01:00:00.001Z"}},
		{`date:[2018-12-18T10:00:00Z TO 2018-12-18T10:00:00Z]`, []string{"2018-12-18T10:00:00.999Z"}, []string{"2018-12-18T10:00:01Z"}},
		{`date:[* TO *]`, []string{"1999-01-01T00:00:00Z"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			m, err := Compile(mustParse(t, tc.q))
			require.NoError(t, err)
			for _, d := range tc.match {
				assert.True(t, m.Match(evt("date", d)), d)
			}
			for _, d := range tc.miss {
				assert.False(t, m.Match(evt("date", d)), d)
			}
		})
	}
	// Events from a source in another zone are compared as instants, not wall clocks.
	m, err := Compile(mustParse(t, `date:2018-12-18`))
	require.NoError(t, err)
	assert.True(t, m.Match(evt("date", "2018-12-19T00:30:00+01:00")))
}
