package tenant

import (
	"math/rand/v2"
	"time"
)

// LogIDLen is the length of every log_id Auth0 issues: 56 decimal digits.
const LogIDLen = 56

const (
	logIDPrefix = "900"
	stampLen    = len("20060102150405")
	stampLayout = "20060102150405"
	// seqBase starts the trailing 19-digit counter in the range seen in real log_ids.
	seqBase uint64 = 1223372036854775808
)

// appendLogID writes Auth0's log_id layout: "900", the UTC ingest second as YYYYMMDDhhmmss, a
// 6-digit sub-second part, 14 zeros and a 19-digit sequence number. All parts are fixed width, so
// string order equals (second, fraction, sequence) order.
func appendLogID(b []byte, sec, frac int64, seq uint64) []byte {
	t := time.Unix(sec, 0).UTC()
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	b = append(b, logIDPrefix...)
	b = appendPadded(b, uint64(y), 4)
	b = appendPadded(b, uint64(mo), 2)
	b = appendPadded(b, uint64(d), 2)
	b = appendPadded(b, uint64(h), 2)
	b = appendPadded(b, uint64(mi), 2)
	b = appendPadded(b, uint64(s), 2)
	b = appendPadded(b, uint64(frac), 6)
	b = append(b, "00000000000000"...)
	return appendPadded(b, seqBase+seq, 19)
}

func appendPadded(b []byte, v uint64, width int) []byte {
	n := len(b) + width
	b = append(b, make([]byte, width)...)
	for i := n - 1; i >= n-width; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}

// LogIDTime returns the UTC second embedded in a log_id, which is when Auth0 ingested the event:
// never before its date, and usually a few seconds after. ok is false for a string that is not a
// 56-digit log_id.
func LogIDTime(id string) (t time.Time, ok bool) {
	if len(id) != LogIDLen || id[:len(logIDPrefix)] != logIDPrefix {
		return time.Time{}, false
	}
	for i := range len(id) {
		if id[i] < '0' || id[i] > '9' {
			return time.Time{}, false
		}
	}
	t, err := time.Parse(stampLayout, id[len(logIDPrefix):len(logIDPrefix)+stampLen])
	return t, err == nil
}

// FloorLogID is the smallest possible log_id of second t: every event Auth0 ingested at t or later
// has a greater log_id. It is the usual way to start checkpoint paging at a point in time.
func FloorLogID(t time.Time) string {
	b := make([]byte, 0, LogIDLen)
	b = append(b, logIDPrefix...)
	b = t.UTC().AppendFormat(b, stampLayout)
	for len(b) < LogIDLen {
		b = append(b, '0')
	}
	return string(b)
}

const alnumChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// alnum is the alphabet of Auth0 client_ids and the suffixes of con_ and org_ ids.
func alnum(r *rand.Rand, n int) string { return randString(r, n, alnumChars) }

func hex(r *rand.Rand, n int) string { return randString(r, n, "0123456789abcdef") }

func digits(r *rand.Rand, n int) string { return randString(r, n, "0123456789") }

func randString(r *rand.Rand, n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}
