package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
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
	e.fromFields(fields, nil)
	return nil
}

// fromFields sets e from the members of one log object; page, when set, shares repeated values
// with the page's other events.
func (e *Event) fromFields(fields map[string]json.RawMessage, page *pageValues) {
	*e = Event{}
	for key, raw := range fields {
		if !e.setField(key, raw, page) && !isNull(raw) {
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
}

// setField stores one known field and reports whether key was known. A value that cannot be made
// to fit (a date that is no date, a location that is no object) is kept in Extra so it is not lost.
func (e *Event) setField(key string, raw json.RawMessage, page *pageValues) bool {
	if p := e.StringField(key); p != nil {
		if repeats(key) {
			*p = page.str(raw)
		} else {
			*p = lenientString(raw)
		}
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
		e.Scope = page.scope(raw)
	case "isMobile":
		e.IsMobile = lenientBool(raw)
	case "details":
		if !isNull(raw) {
			e.Details = validUTF8(raw)
		}
	case "location_info":
		loc, ok := page.location(raw)
		e.Location = loc
		if !ok {
			e.keep(key, raw)
		}
	default:
		return false
	}
	return true
}

// StringField is where the top-level string field key of Auth0's log object lives in e, or nil for
// a key that is not one. Decoding fills fields through it, and stores rebuild events with it, so
// the list of string fields is kept once.
func (e *Event) StringField(key string) *string {
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
// caller may choose to show them. Events of one page may share a *Location (equal location_info
// decodes once), so treat Locations as read-only.
func DecodeList(b []byte) ([]Event, error) {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		return nil, errors.New("the log list is empty: expected a JSON array of log events")
	}
	var items []json.RawMessage
	switch trimmed[0] {
	case '[':
		if events, ok := decodeObjects(trimmed); ok {
			return events, nil
		}
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
		if events, ok := decodeObjects(page.Logs); ok {
			return events, nil
		}
		if err := json.Unmarshal(page.Logs, &items); err != nil {
			return nil, fmt.Errorf(`the "logs" member of the log list is not an array: %w`, err)
		}
	default:
		return nil, fmt.Errorf("the log list must be a JSON array, got %s", describeJSON(trimmed))
	}
	return decodeEach(items)
}

// decodeEach decodes the elements of a list one by one, naming the first that is not a log object.
func decodeEach(items []json.RawMessage) ([]Event, error) {
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

// validUTF8 copies a raw JSON value, replacing invalid UTF-8 with U+FFFD: encoding/json would
// replace it on output anyway, so without this an event would not encode to what it was decoded
// from (found by FuzzDecode).
func validUTF8(raw []byte) json.RawMessage {
	if utf8.Valid(raw) {
		return append(json.RawMessage(nil), raw...)
	}
	return json.RawMessage(bytes.ToValidUTF8(raw, []byte("\uFFFD")))
}
