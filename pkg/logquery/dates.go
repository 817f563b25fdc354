package logquery

import (
	"strings"
	"time"
)

// parseDate reads a possibly partial UTC date (2018, 2018-12, 2018-12-18, 2018-12-18T01,
// ...T01:02, ...T01:02:03, ...T01:02:03.456, each with an optional Z) and returns the period it
// names as [start, end): 2018-12 is all of December. This is how Elasticsearch, behind Auth0's
// search, rounds a partial date: down for a lower bound, up for an upper one.
func parseDate(s string) (start, end time.Time, ok bool) {
	s = strings.TrimSuffix(s, "Z")
	const seps = "--T::" // the separator before each field after the year
	offs := [6]int{0, 5, 8, 11, 14, 17}
	widths := [6]int{4, 2, 2, 2, 2, 2}
	f := [6]int{0, 1, 1, 0, 0, 0} // year, month, day, hour, minute, second
	n := 0                        // fields present
	for ; n < 6; n++ {
		off := offs[n]
		if n > 0 && len(s) == off-1 {
			break
		}
		if n > 0 && (len(s) < off || s[off-1] != seps[n-1]) {
			return time.Time{}, time.Time{}, false
		}
		v, good := digits(s, off, widths[n])
		if !good {
			return time.Time{}, time.Time{}, false
		}
		f[n] = v
	}
	nanos, unit := 0, time.Duration(0)
	if rest := s[offs[n-1]+widths[n-1]:]; rest != "" {
		if n < 6 || rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
			return time.Time{}, time.Time{}, false
		}
		v, good := digits(rest, 1, len(rest)-1)
		if !good {
			return time.Time{}, time.Time{}, false
		}
		unit = time.Duration(pow10(10 - len(rest)))
		nanos = v * int(unit)
	}
	start = time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], nanos, time.UTC)
	if start.Year() != f[0] || int(start.Month()) != f[1] || start.Day() != f[2] ||
		start.Hour() != f[3] || start.Minute() != f[4] || start.Second() != f[5] {
		return time.Time{}, time.Time{}, false // out of range, e.g. month 13 or February 30
	}
	switch {
	case unit > 0:
		end = start.Add(unit)
	case n == 1:
		end = start.AddDate(1, 0, 0)
	case n == 2:
		end = start.AddDate(0, 1, 0)
	case n == 3:
		end = start.AddDate(0, 0, 1)
	default:
		end = start.Add([]time.Duration{time.Hour, time.Minute, time.Second}[n-4])
	}
	return start, end, true
}

func digits(s string, off, width int) (int, bool) {
	if off+width > len(s) {
		return 0, false
	}
	v := 0
	for i := off; i < off+width; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func pow10(n int) int {
	v := 1
	for range n {
		v *= 10
	}
	return v
}

// DatePeriod is the period a date value in a query names, [start, end): "2026-11" is the month,
// "2026-11-20T10:00" the minute. Engines that run queries as SQL compare dates with it, so they and
// the Matcher agree on what a date term means.
func DatePeriod(s string) (start, end time.Time, ok bool) { return parseDate(s) }
