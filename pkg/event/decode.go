package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// UnmarshalJSON decodes one Auth0 log object without trusting its types. Auth0's schema allows
// every field to be absent, null or differently typed across API versions, so a surprising value
// becomes the field's zero value (or is kept in Extra) rather than failing a whole page. The only
// error is for input that is not a JSON object. A JSON null leaves e unchanged, as encoding/json
// expects of an Unmarshaler.
func (e *Event) UnmarshalJSON(b []byte) error {
	trimmed := bytes.TrimSpace(b)
	if bytes.Equal(trimmed, []byte("null")) {
		return nil
	}
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return fmt.Errorf("a log event must be a JSON object, got %s", describeJSON(trimmed))
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &fields); err != nil {
		return fmt.Errorf("a log event is not valid JSON: %w", err)
	}
	*e = Event{}
	for key, raw := range fields {
		if !e.setField(key, raw) && !isNull(raw) {
			e.keep(key, raw)
		}
	}
	if e.LogID == "" {
		e.LogID = lenientString(fields["_id"])
	} else if id, ok := fields["_id"]; ok && !isNull(id) && lenientString(id) != e.LogID {
		// _id normally repeats log_id; a different value is information worth keeping.
		e.keep("_id", id)
	}
	if _, ok := fields["isMobile"]; !ok {
		e.IsMobile = lenientBool(fields["is_mobile"])
	} else if v, ok := fields["is_mobile"]; ok && !isNull(v) {
		e.keep("is_mobile", v)
	}
	return nil
}

// setField stores one known field and reports whether key was known. A value that cannot be made
// to fit (a date that is no date, a location that is no object) is kept in Extra so it is not lost.
func (e *Event) setField(key string, raw json.RawMessage) bool {
	if p := e.stringField(key); p != nil {
		*p = lenientString(raw)
		return true
	}
	switch key {
	case "_id", "is_mobile":
		// Resolved after the loop, once log_id and isMobile are known.
	case "date":
		t, ok := lenientTime(raw, 0)
		e.Date = t
		if !ok && !isNull(raw) {
			e.keep(key, raw)
		}
	case "scope":
		e.Scope = lenientScope(raw)
	case "isMobile":
		e.IsMobile = lenientBool(raw)
	case "details":
		if !isNull(raw) {
			e.Details = append(json.RawMessage(nil), raw...)
		}
	case "location_info":
		loc, ok := lenientLocation(raw)
		e.Location = loc
		if !ok {
			e.keep(key, raw)
		}
	default:
		return false
	}
	return true
}

// stringField maps the plain string fields to their storage.
func (e *Event) stringField(key string) *string {
	switch key {
	case "log_id":
		return &e.LogID
	case "type":
		return &e.Type
	case "description":
		return &e.Description
	case "client_id":
		return &e.ClientID
	case "client_name":
		return &e.ClientName
	case "connection":
		return &e.Connection
	case "connection_id":
		return &e.ConnectionID
	case "strategy":
		return &e.Strategy
	case "strategy_type":
		return &e.StrategyType
	case "ip":
		return &e.IP
	case "hostname":
		return &e.Hostname
	case "user_id":
		return &e.UserID
	case "user_name":
		return &e.UserName
	case "user_agent":
		return &e.UserAgent
	case "audience":
		return &e.Audience
	case "organization_id":
		return &e.OrganizationID
	case "organization_name":
		return &e.OrganizationName
	}
	return nil
}

func (e *Event) keep(key string, raw json.RawMessage) {
	if e.Extra == nil {
		e.Extra = map[string]json.RawMessage{}
	}
	e.Extra[key] = append(json.RawMessage(nil), raw...)
}

// DecodeList decodes a page of logs: the bare array Auth0 normally sends, or the deprecated
// include_totals object {start, limit, length, total, logs}. An element that is not an object is
// reported by its index; the events that did decode are still returned beside that error, so a
// caller may choose to show them.
func DecodeList(b []byte) ([]Event, error) {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		return nil, errors.New("the log list is empty: expected a JSON array of log events")
	}
	var items []json.RawMessage
	switch trimmed[0] {
	case '[':
		if err := json.Unmarshal(trimmed, &items); err != nil {
			return nil, fmt.Errorf("the log list is not valid JSON: %w", err)
		}
	case '{':
		var page struct {
			Logs json.RawMessage `json:"logs"`
		}
		if err := json.Unmarshal(trimmed, &page); err != nil {
			return nil, fmt.Errorf("the log list is not valid JSON: %w", err)
		}
		if isNull(page.Logs) {
			return nil, errors.New(`the log list is an object without a "logs" array`)
		}
		if err := json.Unmarshal(page.Logs, &items); err != nil {
			return nil, fmt.Errorf(`the "logs" member of the log list is not an array: %w`, err)
		}
	default:
		return nil, fmt.Errorf("the log list must be a JSON array, got %s", describeJSON(trimmed))
	}
	events := make([]Event, 0, len(items))
	var bad []int
	for i, raw := range items {
		var ev Event
		if isNull(raw) || ev.UnmarshalJSON(raw) != nil {
			bad = append(bad, i)
			continue
		}
		events = append(events, ev)
	}
	if len(bad) > 0 {
		return events, fmt.Errorf("log list element %d is %s, not a log object (%d of %d elements were unusable)",
			bad[0], describeJSON(bytes.TrimSpace(items[bad[0]])), len(bad), len(items))
	}
	return events, nil
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

// describeJSON names the kind of a JSON value for an error message, without echoing its content.
func describeJSON(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	if raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9' {
		return "a number"
	}
	return "not JSON"
}

// lenientString returns a string as is, a number or boolean as its literal text (so a 56-digit
// log_id sent as a number keeps every digit), null as "", and an object or array as its JSON.
func lenientString(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || isNull(t) {
		return ""
	}
	if t[0] == '"' {
		var s string
		if json.Unmarshal(t, &s) == nil {
			return s
		}
		return ""
	}
	return string(t)
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

// lenientLocation returns nil for null, and false when the value is not an object at all.
func lenientLocation(raw json.RawMessage) (*Location, bool) {
	if isNull(raw) {
		return nil, true
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil, false
	}
	return &Location{
		CountryCode:     lenientString(m["country_code"]),
		CountryCode3:    lenientString(m["country_code3"]),
		CountryName:     lenientString(m["country_name"]),
		CityName:        lenientString(m["city_name"]),
		SubdivisionCode: lenientString(m["subdivision_code"]),
		SubdivisionName: lenientString(m["subdivision_name"]),
		TimeZone:        lenientString(m["time_zone"]),
		ContinentCode:   lenientString(m["continent_code"]),
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
