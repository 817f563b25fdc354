package event

import (
	"bytes"
	"encoding/json"
)

// decodeObjects is DecodeList's fast path for the page Auth0 normally sends, an array of objects
// and nothing else: one pass decodes every element's members, where decoding elements one by one
// reads each event's bytes three more times. It reports false for anything else (a null or
// non-object element, invalid JSON), which the element-by-element path then explains.
func decodeObjects(list []byte) ([]Event, bool) {
	var objects []map[string]json.RawMessage
	if json.Unmarshal(list, &objects) != nil {
		return nil, false
	}
	page := newPageValues()
	events := make([]Event, len(objects))
	for i, fields := range objects {
		if fields == nil {
			return nil, false
		}
		events[i].fromFields(fields, page)
	}
	return events, true
}

// pageValues shares what repeats across the events of one page: the strings of the fields with
// few values (type, client, connection, user agent, host name...) and whole locations. The fetch
// cache holds up to half a million events, and without sharing each holds its own copy of all of
// them, about a third of its memory. A nil *pageValues shares nothing.
type pageValues struct {
	strs map[string]string
	locs map[string]*Location
}

func newPageValues() *pageValues {
	return &pageValues{strs: map[string]string{}, locs: map[string]*Location{}}
}

// repeats names the string fields whose values repeat across a page. Ids, IPs and user names are
// mostly distinct within a page, so sharing them would only fill the map.
func repeats(key string) bool {
	switch key {
	case "type", "description", "client_id", "client_name", "connection", "connection_id", "strategy",
		"strategy_type", "hostname", "user_agent", "audience", "organization_id", "organization_name":
		return true
	}
	return false
}

// str is lenientString, returning the page's copy of a plain string seen before.
func (p *pageValues) str(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if p == nil || len(t) < 2 || t[0] != '"' || t[len(t)-1] != '"' || !plainString(t[1:len(t)-1]) {
		return lenientString(raw)
	}
	inner := t[1 : len(t)-1]
	if s, ok := p.strs[string(inner)]; ok {
		return s
	}
	s := string(inner)
	p.strs[s] = s
	return s
}

// scope is lenientScope, sharing the usual string form.
func (p *pageValues) scope(raw json.RawMessage) string {
	if t := bytes.TrimSpace(raw); p != nil && len(t) > 0 && t[0] == '"' {
		return p.str(raw)
	}
	return lenientScope(raw)
}

// location is lenientLocation, decoding each distinct location_info of the page once.
func (p *pageValues) location(raw json.RawMessage) (*Location, bool) {
	if p == nil {
		return lenientLocation(raw, lenientString)
	}
	key := bytes.TrimSpace(raw)
	if loc, ok := p.locs[string(key)]; ok {
		return loc, true
	}
	loc, ok := lenientLocation(raw, p.str)
	if ok && loc != nil {
		p.locs[string(key)] = loc
	}
	return loc, ok
}
