package event

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The lenient readers below turn one JSON value into a field's Go value, accepting the shapes Auth0
// has sent across API versions and giving the zero value for anything else.

// lenientString returns a string as is, a number or boolean as its literal text (so a 56-digit
// log_id sent as a number keeps every digit), null as "", and an object or array as its JSON.
func lenientString(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || isNull(t) {
		return ""
	}
	if t[0] == '"' {
		// Most values are plain: no escape and valid UTF-8, so the quotes are all there is to
		// remove. json.Unmarshal would read them twice more to say the same.
		if len(t) >= 2 && t[len(t)-1] == '"' && plainString(t[1:len(t)-1]) {
			return string(t[1 : len(t)-1])
		}
		var s string
		if json.Unmarshal(t, &s) == nil {
			return s
		}
		return ""
	}
	// A non-string value is kept as its JSON text. That text may hold invalid UTF-8, which a
	// decoded string never does and encoding/json would replace on output; replace it here so the
	// event encodes to what it was decoded as (found by FuzzDecode).
	if !utf8.Valid(t) {
		return string(bytes.ToValidUTF8(t, []byte("\uFFFD")))
	}
	return string(t)
}

// plainString reports whether the inside of a JSON string literal means exactly its bytes: no
// escape, no control character (which JSON forbids) and valid UTF-8 (which json.Unmarshal would
// repair).
func plainString(inner []byte) bool {
	ascii := true
	for _, c := range inner {
		switch {
		case c == '\\' || c == '"' || c < 0x20:
			return false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return ascii || utf8.Valid(inner)
}

// lenientScope accepts Auth0's space-separated string and the array form older SDKs also decode.
func lenientScope(raw json.RawMessage) string {
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return lenientString(raw)
	}
	parts := make([]string, 0, len(list))
	for _, item := range list {
		if s := strings.TrimSpace(lenientString(item)); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

func lenientBool(raw json.RawMessage) bool {
	s := strings.ToLower(strings.TrimSpace(lenientString(raw)))
	switch s {
	case "true", "1", "yes":
		return true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f != 0
	}
	return false
}

// lenientFloat accepts a number or a numeric string (the older spec typed coordinates as strings).
func lenientFloat(raw json.RawMessage) *float64 {
	s := strings.TrimSpace(lenientString(raw))
	f, err := strconv.ParseFloat(s, 64)
	if s == "" || err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

// lenientLocation returns nil for null, and false when the value is not an object at all. str
// reads its string members.
func lenientLocation(raw json.RawMessage, str func(json.RawMessage) string) (*Location, bool) {
	if isNull(raw) {
		return nil, true
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil, false
	}
	return &Location{
		CountryCode:     str(m["country_code"]),
		CountryCode3:    str(m["country_code3"]),
		CountryName:     str(m["country_name"]),
		CityName:        str(m["city_name"]),
		SubdivisionCode: str(m["subdivision_code"]),
		SubdivisionName: str(m["subdivision_name"]),
		TimeZone:        str(m["time_zone"]),
		ContinentCode:   str(m["continent_code"]),
		Latitude:        lenientFloat(m["latitude"]),
		Longitude:       lenientFloat(m["longitude"]),
	}, true
}

// dateKeys are tried first when a date arrives wrapped in an object such as {"$date": ...}.
var dateKeys = []string{"$date", "date", "iso", "value", "$numberLong"}

// lenientTime finds a time in a string, a UNIX number or a wrapping object, searched a few levels
// deep. It returns false when nothing usable was found.
func lenientTime(raw json.RawMessage, depth int) (time.Time, bool) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || depth > 4 {
		return time.Time{}, false
	}
	switch t[0] {
	case '"':
		return parseDate(lenientString(t))
	case '{':
		var m map[string]json.RawMessage
		if json.Unmarshal(t, &m) != nil {
			return time.Time{}, false
		}
		for _, k := range dateKeys {
			if v, ok := m[k]; ok {
				if ts, ok := lenientTime(v, depth+1); ok {
					return ts, true
				}
			}
		}
		for _, v := range m {
			if ts, ok := lenientTime(v, depth+1); ok {
				return ts, true
			}
		}
		return time.Time{}, false
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return parseDate(string(t))
	}
	return time.Time{}, false
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

// parseDate reads RFC 3339 with or without fraction or zone (no zone means UTC), a space in place
// of the T, or UNIX seconds or milliseconds. The result is always UTC.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + strings.TrimSpace(s[11:])
	}
	s = strings.Replace(s, " ", "", 1) // "2023-03-14T14:47:08 +00:00"
	for _, layout := range dateLayouts {
		if ts, err := time.Parse(layout, s); err == nil {
			return ts.UTC(), true
		}
	}
	// UNIX time: as seconds 1e11 is past year 5000, so larger numbers are milliseconds. Years past
	// 9999 are refused because encoding/json cannot write them back.
	const maxMillis = 253402300799999 // 9999-12-31T23:59:59.999Z
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(n) || n <= 0 || n > maxMillis {
		return time.Time{}, false
	}
	if n >= 1e11 {
		return time.UnixMilli(int64(n)).UTC(), true
	}
	// Fractional seconds are rounded to microseconds: a float64 cannot hold nanoseconds exactly.
	sec, frac := math.Modf(n)
	return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC(), true
}
