package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// plainEvent has Event's fields and json tags but none of its methods, so a MarshalJSON added to
// Event later cannot take over the wire format below.
type plainEvent event.Event

// wireEvent is a log object as the API writes it: Event's own tags, plus the _id Auth0 repeats
// from log_id, and date rendered with milliseconds in UTC (encoding/json alone would write
// nanoseconds and the zone offset). The outer Date shadows the embedded one.
type wireEvent struct {
	ID   string `json:"_id"`
	Date string `json:"date"`
	*plainEvent
}

// wireDate renders a date exactly as Auth0 does, e.g. 2023-03-14T10:57:59.007Z.
func wireDate(t time.Time) string { return t.UTC().Format(event.DateLayout) }

// projection says which top-level fields of a log object to keep; nil keeps all.
type projection struct {
	names   []string
	include bool
}

func (p *projection) keeps(name string) bool {
	if p == nil {
		return true
	}
	return slices.Contains(p.names, name) == p.include
}

// encodeEvent writes one log object. Extra fields the Event kept from Auth0 are merged in, except
// names the struct already writes.
func encodeEvent(buf *bytes.Buffer, e *event.Event, proj *projection) error {
	obj, err := json.Marshal(wireEvent{ID: e.LogID, Date: wireDate(e.Date), plainEvent: (*plainEvent)(e)})
	if err != nil {
		return fmt.Errorf("encode log %s: %w", e.LogID, err)
	}
	if len(e.Extra) == 0 && proj == nil {
		buf.Write(obj)
		return nil
	}
	pairs, err := objectPairs(obj)
	if err != nil {
		return fmt.Errorf("encode log %s: %w", e.LogID, err)
	}
	pairs = appendExtra(pairs, e.Extra)
	buf.WriteByte('{')
	first := true
	for _, kv := range pairs {
		if !proj.keeps(kv.key) {
			continue
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		key, _ := json.Marshal(kv.key)
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(kv.value)
	}
	buf.WriteByte('}')
	return nil
}

type pair struct {
	key   string
	value json.RawMessage
}

// objectPairs splits a JSON object into its members, keeping their order.
func objectPairs(obj []byte) ([]pair, error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var pairs []pair
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		pairs = append(pairs, pair{key: key, value: v})
	}
	return pairs, nil
}

// appendExtra adds Extra's members in a stable (sorted) order, skipping names already present.
func appendExtra(pairs []pair, extra map[string]json.RawMessage) []pair {
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if slices.ContainsFunc(pairs, func(p pair) bool { return p.key == k }) || !json.Valid(extra[k]) {
			continue
		}
		pairs = append(pairs, pair{key: k, value: extra[k]})
	}
	return pairs
}

// encodeLogs writes a page as a bare array, or as Auth0's include_totals object, whose total is the
// page length since Search Engine v3.
func encodeLogs(page []*event.Event, proj *projection, totals bool, start, limit int) ([]byte, error) {
	var buf bytes.Buffer
	if totals {
		fmt.Fprintf(&buf, `{"start":%d,"limit":%d,"length":%d,"total":%d,"logs":`, start, limit, len(page), len(page))
	}
	buf.WriteByte('[')
	for i, e := range page {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := encodeEvent(&buf, e, proj); err != nil {
			return nil, err
		}
	}
	buf.WriteByte(']')
	if totals {
		buf.WriteByte('}')
	}
	return buf.Bytes(), nil
}
