package tenant

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

func sampleEvents(t *testing.T) []event.Event {
	t.Helper()
	tn := Generate(Config{Seed: 11, End: fixtureEnd, Days: 1, EventsPerDay: 3000})
	require.Greater(t, len(tn.Events), 1000)
	return tn.Events
}

func TestJSONLinesRoundTrip(t *testing.T) {
	events := sampleEvents(t)
	written := encodeAll(t, events)
	assert.Equal(t, len(events), bytes.Count(written, []byte("\n")), "one object per line")

	loaded, err := LoadJSONLines(bytes.NewReader(written))
	require.NoError(t, err)
	require.Len(t, loaded, len(events))
	for i := range events {
		want, got := &events[i], &loaded[i]
		require.Equal(t, want.LogID, got.LogID)
		require.True(t, want.Date.Equal(got.Date), "date of %s", want.LogID)
		require.Equal(t, want.Type, got.Type)
		require.Equal(t, want.IP, got.IP)
		if want.Location != nil {
			require.NotNil(t, got.Location)
			require.Equal(t, *want.Location.Latitude, *got.Location.Latitude)
			require.Equal(t, want.Location.CityName, got.Location.CityName)
		}
	}
	assert.Equal(t, written, encodeAll(t, loaded), "write -> load -> write is stable")
}

func TestWriteJSONLinesUsesAuth0Shape(t *testing.T) {
	e := event.Event{LogID: "9001", Date: time.Date(2026, 9, 1, 2, 3, 4, 500_000_000, time.FixedZone("X", 3600)),
		Type: "s", Details: json.RawMessage(`{"a":1}`),
		Extra: map[string]json.RawMessage{"_id": json.RawMessage(`"9001"`), "type": json.RawMessage(`"ignored"`)}}
	var buf bytes.Buffer
	require.NoError(t, WriteJSONLines(&buf, []event.Event{e}))
	var got map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got))
	assert.Equal(t, "2026-09-01T01:03:04.500Z", got["date"], "UTC with milliseconds")
	assert.Equal(t, "9001", got["_id"], "extra fields are kept")
	assert.Equal(t, "s", got["type"], "an extra field never overrides a named one")
	assert.Equal(t, map[string]any{"a": float64(1)}, got["details"])
	assert.NotContains(t, got, "user_id", "empty fields are left out")
}

func TestLoadJSONLinesAcceptsStreamAndArrayForms(t *testing.T) {
	events := sampleEvents(t)[:3]
	var stream strings.Builder
	for i := range events {
		inner, err := json.Marshal(wireEvent{Date: events[i].Date.Format(event.DateLayout), plainEvent: (*plainEvent)(&events[i])})
		require.NoError(t, err)
		var obj map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(inner, &obj))
		if i > 0 {
			delete(obj, "log_id") // the envelope's log_id stands in
		}
		data, err := json.Marshal(obj)
		require.NoError(t, err)
		stream.WriteString(`{"log_id":"` + events[i].LogID + `","data":` + string(data) + "}\n\n")
	}
	loaded, err := LoadJSONLines(strings.NewReader(stream.String()))
	require.NoError(t, err)
	require.Len(t, loaded, 3)
	for i := range events {
		assert.Equal(t, events[i].LogID, loaded[i].LogID)
		assert.Equal(t, events[i].Type, loaded[i].Type)
		assert.Equal(t, events[i].UserName, loaded[i].UserName)
	}

	array := "[" + strings.TrimSuffix(strings.ReplaceAll(string(encodeAll(t, events)), "\n", ","), ",") + "]"
	loaded, err = LoadJSONLines(strings.NewReader(array))
	require.NoError(t, err)
	require.Len(t, loaded, 3)
	assert.Equal(t, events[2].LogID, loaded[2].LogID)
}

func TestLoadJSONLinesErrors(t *testing.T) {
	for name, tc := range map[string]struct{ input, want string }{
		"broken json":          {"{\"log_id\":\"1\"}\n{\"log_id\":", "record 2"},
		"not an object":        {"{\"log_id\":\"1\"}\n42\n", "want a JSON object"},
		"item in array":        {"[{\"log_id\":\"1\"},\"x\"]", "item 1"},
		"broken stream record": {`{"log_id":"1","data":{"date":{"x":[}}}`, "record 1"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := LoadJSONLines(strings.NewReader(tc.input))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	got, err := LoadJSONLines(strings.NewReader("\n  \n"))
	require.NoError(t, err)
	assert.Empty(t, got)
}
