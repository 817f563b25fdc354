package store

import "time"

// LogIDLen is the length of every log_id Auth0 issues: 56 decimal digits.
const LogIDLen = 56

const (
	logIDPrefix = "900"
	stampLayout = "20060102150405"
)

// LogIDTime returns the UTC second a log_id carries: "900", then when Auth0 ingested the event as
// YYYYMMDDhhmmss, then more digits. Ingest is never before the event's date and usually a few
// seconds after it. ok is false for anything that is not a 56-digit log_id of that shape, so a
// caller never trusts a time read from a foreign id.
func LogIDTime(id string) (t time.Time, ok bool) {
	if len(id) != LogIDLen || id[:len(logIDPrefix)] != logIDPrefix {
		return time.Time{}, false
	}
	for i := range len(id) {
		if id[i] < '0' || id[i] > '9' {
			return time.Time{}, false
		}
	}
	t, err := time.Parse(stampLayout, id[len(logIDPrefix):len(logIDPrefix)+len(stampLayout)])
	return t, err == nil
}

// FloorLogID is the smallest log_id of second t (zeros after the stamp): every event Auth0
// ingested at t or later has a greater id, every earlier one a smaller id. It is the synthetic
// from that starts checkpoint paging at a point in time. Times before year 1000 or after 9999 do
// not fit the stamp and are clamped to its range, so the result is always 56 digits.
func FloorLogID(t time.Time) string {
	t = t.UTC()
	switch {
	case t.Year() < 1000:
		t = time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)
	case t.Year() > 9999:
		t = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	}
	b := make([]byte, 0, LogIDLen)
	b = append(b, logIDPrefix...)
	b = t.AppendFormat(b, stampLayout)
	for len(b) < LogIDLen {
		b = append(b, '0')
	}
	return string(b)
}

// idTimeOr is LogIDTime with a fallback for ids that carry no time.
func idTimeOr(id string, fallback time.Time) time.Time {
	if t, ok := LogIDTime(id); ok {
		return t
	}
	return fallback
}
