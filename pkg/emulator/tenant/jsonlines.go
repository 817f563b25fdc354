package tenant

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// plainEvent has Event's fields without its methods, so encoding it never recurses into a
// MarshalJSON that event.Event may grow.
type plainEvent event.Event

// wireEvent renders date the way the Management API does (UTC, milliseconds). Its fields are
// shallower than plainEvent's, so encoding/json uses them instead; they come first so a line
// starts with log_id and date, as Auth0's objects do.
type wireEvent struct {
	LogID string `json:"log_id"`
	Date  string `json:"date"`
	*plainEvent
}

// WriteJSONLines writes events as JSON lines, one Auth0 log object per line, in the order given.
// Fields kept in Extra are written too, after the named fields' values, unless they clash.
func WriteJSONLines(w io.Writer, events []event.Event) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	for i := range events {
		line, err := encodeEvent(&events[i])
		if err != nil {
			return fmt.Errorf("tenant: encode event %d (log_id %q): %w", i, events[i].LogID, err)
		}
		if _, err := bw.Write(append(line, '\n')); err != nil {
			return fmt.Errorf("tenant: write JSON lines: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("tenant: write JSON lines: %w", err)
	}
	return nil
}

func encodeEvent(e *event.Event) ([]byte, error) {
	line, err := json.Marshal(wireEvent{LogID: e.LogID, Date: e.Date.UTC().Format(event.DateLayout), plainEvent: (*plainEvent)(e)})
	if err != nil || len(e.Extra) == 0 {
		return line, err
	}
	var merged map[string]json.RawMessage
	if err := json.Unmarshal(line, &merged); err != nil {
		return nil, err
	}
	for k, v := range e.Extra {
		if _, taken := merged[k]; !taken {
			merged[k] = v
		}
	}
	return json.Marshal(merged)
}

// LoadJSONLines reads log events from JSON lines: each record is either an Auth0 log object, as
// the Management API returns it, or a log-stream record {"log_id": ..., "data": {...}}, whose
// outer log_id is used when data has none. A JSON array of such records is accepted too, and
// blank lines are skipped. Events come back in file order.
func LoadJSONLines(r io.Reader) ([]event.Event, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<16))
	var out []event.Event
	for n := 1; ; n++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("tenant: record %d (byte %d) is not valid JSON: %w; expected one Auth0 log object per line", n, dec.InputOffset(), err)
		}
		if bytes.HasPrefix(raw, []byte("[")) {
			var list []json.RawMessage
			if err := json.Unmarshal(raw, &list); err != nil {
				return nil, fmt.Errorf("tenant: record %d: decode array of log events: %w", n, err)
			}
			for i, item := range list {
				e, err := decodeRecord(item)
				if err != nil {
					return nil, fmt.Errorf("tenant: record %d, item %d: %w", n, i, err)
				}
				out = append(out, e)
			}
			continue
		}
		e, err := decodeRecord(raw)
		if err != nil {
			return nil, fmt.Errorf("tenant: record %d: %w", n, err)
		}
		out = append(out, e)
	}
}

// streamRecord is the envelope Auth0 log streams (webhooks, EventBridge) put around a log.
type streamRecord struct {
	LogID string          `json:"log_id"`
	Data  json.RawMessage `json:"data"`
}

func decodeRecord(raw json.RawMessage) (event.Event, error) {
	var e event.Event
	if !bytes.HasPrefix(raw, []byte("{")) {
		return e, fmt.Errorf("want a JSON object (an Auth0 log event), got %.40s", raw)
	}
	if bytes.Contains(raw, []byte(`"data"`)) {
		var env streamRecord
		if err := json.Unmarshal(raw, &env); err == nil && bytes.HasPrefix(bytes.TrimSpace(env.Data), []byte("{")) {
			if err := json.Unmarshal(env.Data, &e); err != nil {
				return e, fmt.Errorf("decode the data of a log-stream record: %w", err)
			}
			if e.LogID == "" {
				e.LogID = env.LogID
			}
			return e, nil
		}
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		return e, fmt.Errorf("decode log event: %w", err)
	}
	return e, nil
}
