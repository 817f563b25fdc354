package sqlwhere

import (
	"strconv"
	"strings"
	"time"
)

// parseDate reads a partial UTC date (2018, 2018-12, 2018-12-18, 2018-12-18T01, ...T01:02,
// ...T01:02:03, ...T01:02:03.456789, each with an optional Z) as the period it names, [start, end):
// the meaning logquery gives a date term. logquery has already validated the text, so the only
// failure left is a date that does not exist, reported by ok.
func parseDate(s string) (start, end time.Time, ok bool) {
	s = strings.TrimSuffix(s, "Z")
	frac := ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s, frac = s[:i], s[i+1:]
	}
	// Replace the separators so every field is a run of digits split by spaces.
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == 'T' || r == ':' })
	if len(fields) == 0 || len(fields) > 6 || frac != "" && len(fields) != 6 {
		return time.Time{}, time.Time{}, false
	}
	v := [6]int{0, 1, 1, 0, 0, 0}
	for i, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil {
			return time.Time{}, time.Time{}, false
		}
		v[i] = n
	}
	nanos, unit := 0, time.Duration(0)
	if frac != "" {
		n, err := strconv.Atoi(frac)
		if err != nil || len(frac) > 9 {
			return time.Time{}, time.Time{}, false
		}
		unit = time.Duration(1)
		for range 9 - len(frac) {
			unit *= 10
		}
		nanos = n * int(unit)
	}
	start = time.Date(v[0], time.Month(v[1]), v[2], v[3], v[4], v[5], nanos, time.UTC)
	if start.Month() != time.Month(v[1]) || start.Day() != v[2] || start.Hour() != v[3] ||
		start.Minute() != v[4] || start.Second() != v[5] {
		return time.Time{}, time.Time{}, false
	}
	switch {
	case unit > 0:
		end = start.Add(unit)
	case len(fields) == 1:
		end = start.AddDate(1, 0, 0)
	case len(fields) == 2:
		end = start.AddDate(0, 1, 0)
	case len(fields) == 3:
		end = start.AddDate(0, 0, 1)
	default:
		end = start.Add([]time.Duration{time.Hour, time.Minute, time.Second}[len(fields)-4])
	}
	return start, end, true
}
