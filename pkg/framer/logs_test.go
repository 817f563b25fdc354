package framer

import (
	"encoding/json"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
)

func fieldNames(f *data.Frame) []string {
	names := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		names[i] = fl.Name
	}
	return names
}

func TestLogsFollowsTheLogsContract(t *testing.T) {
	f := Logs(fixtureEvents(), withDS)
	assert.Equal(t, []string{"timestamp", "body", "severity", "id", "labels", "ip", "user_name", "user_id", "ja3", "ja4", "latency_ms"}, fieldNames(f))
	require.NotNil(t, f.Meta)
	assert.Equal(t, data.FrameTypeLogLines, f.Meta.Type)
	assert.Equal(t, data.FrameTypeVersion{0, 0}, f.Meta.TypeVersion)
	assert.Equal(t, data.VisType(data.VisTypeLogs), f.Meta.PreferredVisualization)
	assert.Equal(t, data.FieldTypeTime, f.Fields[0].Type())
	assert.Equal(t, data.FieldTypeJSON, f.Fields[4].Type())
	assert.Equal(t, "A", f.RefID)
	assert.Equal(t, fixtureEvents()[0].Date, f.Fields[0].At(0), "newest first, as given")

	empty := Logs(nil, Options{})
	assert.Equal(t, fieldNames(f), fieldNames(empty), "no events keeps the schema")
	assert.Zero(t, empty.Rows())
}

func TestLogsSeverity(t *testing.T) {
	tests := map[string]string{"fu": "error", "fp": "error", "s": "info", "pwd_leak": "warning", "brand_new_type": "debug", "": "debug"}
	for code, want := range tests {
		f := Logs([]event.Event{{Type: code}}, Options{})
		assert.Equal(t, want, f.Fields[2].At(0), code)
	}
}

func TestLogsBody(t *testing.T) {
	tests := []struct {
		name string
		e    event.Event
		want string
	}{
		{"description and who", event.Event{Type: "fu", Description: "Wrong email or password.", UserName: "a@b.c", IP: "1.2.3.4"},
			"fu Failed Login (Invalid Email/Username): Wrong email or password. user=a@b.c ip=1.2.3.4"},
		{"no description", event.Event{Type: "s", UserName: "a@b.c"}, "s Success Login user=a@b.c"},
		{"description equal to the name is not repeated", event.Event{Type: "s", Description: "Success Login"}, "s Success Login"},
		{"user id when there is no name", event.Event{Type: "s", UserID: "auth0|1"}, "s Success Login user=auth0|1"},
		{"unknown code", event.Event{Type: "zz_new", Description: "Something new"}, "zz_new: Something new"},
		{"no type at all", event.Event{IP: "1.2.3.4"}, "(no type) ip=1.2.3.4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, body(&tt.e, eventtypes.Lookup(tt.e.Type)))
		})
	}
}

func TestLogsLabels(t *testing.T) {
	events := fixtureEvents()
	events = append(events, events[0]) // same label set as the first row
	f := Logs(events, Options{})
	var got map[string]string
	require.NoError(t, json.Unmarshal(f.Fields[4].At(0).(json.RawMessage), &got))
	assert.Equal(t, map[string]string{
		"type": "fu", "type_name": "Failed Login (Invalid Email/Username)", "category": "login_failure",
		"outcome": "failure", "connection": "Username-Password-Authentication", "client_name": "Web App", "country": "DE",
	}, got)
	assert.NotContains(t, got, "ip", "labels stay low-cardinality")
	assert.JSONEq(t, `{"type":"brand_new_type","type_name":"brand_new_type","category":"other","outcome":"info"}`,
		string(f.Fields[4].At(3).(json.RawMessage)), "empty values are left out")
	assert.Equal(t, f.Fields[4].At(0), f.Fields[4].At(len(events)-1))
}

func TestTableDetails(t *testing.T) {
	events := []event.Event{
		{Type: "s", Details: json.RawMessage("{ \"a\" : [1, 2],\n \"b\": {} }")},
		{Type: "s", Details: json.RawMessage(`null`)},
		{Type: "s"},
		{Type: "s", Details: json.RawMessage(`{not json`)},
	}
	f := Table(events, Options{})
	details := f.Fields[len(f.Fields)-1]
	require.Equal(t, "details", details.Name)
	assert.Equal(t, []any{`{"a":[1,2],"b":{}}`, "", "", `{not json`}, []any{details.At(0), details.At(1), details.At(2), details.At(3)})
	assert.Equal(t, data.VisType(data.VisTypeTable), f.Meta.PreferredVisualization)
	want := append([]string{"time"}, tableColumns[:len(tableColumns)-1]...)
	assert.Equal(t, append(want, latencyColumn, "details"), fieldNames(f))
}
