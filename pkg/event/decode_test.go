package event

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordingsDir finds the recorded Auth0 responses: a copy in testdata if the repository carries
// one, else the shared fixtures of the development workspace.
func recordingsDir(t testing.TB) string {
	if dir := recordingsDirIfPresent(); dir != "" {
		return dir
	}
	t.Fatal("recorded Auth0 responses not found in ../auth0/testdata/auth0-recordings (copied from shared/fixtures/auth0-recordings)")
	return ""
}

type recording struct {
	Interactions []struct {
		Method string          `json:"method"`
		URL    string          `json:"url"`
		Body   json.RawMessage `json:"body"`
	} `json:"interactions"`
}

// recordedLogBodies returns every recorded GET body that holds logs, keyed by file and URL.
func recordedLogBodies(t testing.TB) map[string]json.RawMessage {
	dir := recordingsDir(t)
	out := map[string]json.RawMessage{}
	for _, name := range []string{"TestLogManager.json", "TestLogManager_Search.json", "TestLogManager_CheckpointPagination.json"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		var rec recording
		require.NoError(t, json.Unmarshal(b, &rec))
		for _, it := range rec.Interactions {
			if it.Method == "GET" && strings.Contains(it.URL, "/api/v2/logs") {
				out[name+" "+it.URL] = it.Body
			}
		}
	}
	require.Len(t, out, 8)
	return out
}

func TestDecodeRecordings(t *testing.T) {
	for key, body := range recordedLogBodies(t) {
		t.Run(key, func(t *testing.T) {
			var want []map[string]any
			if body[0] == '{' {
				var one Event
				require.NoError(t, json.Unmarshal(body, &one))
				body = json.RawMessage("[" + string(body) + "]")
			}
			require.NoError(t, json.Unmarshal(body, &want))
			got, err := DecodeList(body)
			require.NoError(t, err)
			require.Len(t, got, len(want))
			for i, ev := range got {
				raw := want[i]
				assert.Equal(t, raw["log_id"], ev.LogID)
				assert.Len(t, ev.LogID, 56)
				wantDate, err := time.Parse(time.RFC3339Nano, raw["date"].(string))
				require.NoError(t, err)
				assert.True(t, wantDate.Equal(ev.Date), "date %v, want %v", ev.Date, wantDate)
				assert.Equal(t, time.UTC, ev.Date.Location())
				assert.Equal(t, raw["type"], ev.Type)
				assert.Equal(t, raw["user_agent"], ev.UserAgent)
				assert.Nil(t, ev.Location, "location_info is null in every recording")
				assert.Nil(t, ev.Extra, "every recorded field is a known one, and _id repeats log_id")
				if ev.Type == "sapi" {
					var details map[string]json.RawMessage
					require.NoError(t, json.Unmarshal(ev.Details, &details))
					assert.Contains(t, details, "request")
					assert.Contains(t, details, "response")
				}
			}
		})
	}
}

func TestDecodeRecordedFirstSeccft(t *testing.T) {
	body := recordedLogBodies(t)["TestLogManager.json https://go-auth0-dev.eu.auth0.com/api/v2/logs?page=1&per_page=5"]
	got, err := DecodeList(body)
	require.NoError(t, err)
	ev := got[0]
	assert.Equal(t, "90020230314144709188593000000000000001223372037868840734", ev.LogID)
	assert.Equal(t, time.Date(2023, 3, 14, 14, 47, 8, 713e6, time.UTC), ev.Date)
	assert.Equal(t, "seccft", ev.Type)
	assert.Equal(t, "CDT Testing", ev.ClientName)
	assert.Equal(t, "", ev.Connection, "null connection")
	assert.Contains(t, strings.Fields(ev.Scope), "read:logs")
	assert.False(t, ev.IsMobile)
	assert.Nil(t, ev.Details, "null details")
}

func decodeOne(t *testing.T, s string) Event {
	t.Helper()
	var ev Event
	require.NoError(t, json.Unmarshal([]byte(s), &ev))
	return ev
}

func TestDecodeDates(t *testing.T) {
	want := time.Date(2023, 3, 14, 14, 47, 8, 713e6, time.UTC)
	whole := time.Date(2023, 3, 14, 14, 47, 8, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Time
	}{
		{`"2023-03-14T14:47:08.713Z"`, want},
		{`"2023-03-14T14:47:08Z"`, whole},
		{`"2023-03-14 14:47:08.713Z"`, want},
		{`"2023-03-14T15:47:08.713+01:00"`, want},
		{`"2023-03-14T14:47:08.713"`, want},
		{`"2023-03-14T14:47:08 +00:00"`, whole},
		{`"2023-03-14T14:47:08.713+0000"`, want},
		{`{"$date":"2023-03-14T14:47:08.713Z"}`, want},
		{`{"$date":{"$numberLong":"1678805228713"}}`, want},
		{`{"whatever":{"inner":"2023-03-14 14:47:08.713Z"}}`, want},
		{`1678805228713`, want},
		{`1678805228`, whole},
		{`"1678805228.713"`, want},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			ev := decodeOne(t, `{"log_id":"1","date":`+tc.in+`}`)
			assert.True(t, tc.want.Equal(ev.Date), "got %v", ev.Date)
			assert.Equal(t, time.UTC, ev.Date.Location())
			assert.Nil(t, ev.Extra)
		})
	}
}

func TestDecodeUnusableDateIsKept(t *testing.T) {
	for _, in := range []string{`"yesterday"`, `true`, `[1,2]`, `{"a":"b"}`, `-5`, `1e300`} {
		ev := decodeOne(t, `{"date":`+in+`}`)
		assert.True(t, ev.Date.IsZero(), in)
		assert.JSONEq(t, in, string(ev.Extra["date"]), in)
	}
	ev := decodeOne(t, `{"date":null}`)
	assert.True(t, ev.Date.IsZero())
	assert.Nil(t, ev.Extra)
}

func TestDecodeOddShapes(t *testing.T) {
	lat, lon := 52.37, 4.89
	cases := []struct {
		name, in string
		check    func(t *testing.T, ev Event)
	}{
		{"scope array", `{"scope":["read:logs"," read:users",null,""]}`, func(t *testing.T, ev Event) {
			assert.Equal(t, "read:logs read:users", ev.Scope)
		}},
		{"scope string", `{"scope":"read:logs read:users"}`, func(t *testing.T, ev Event) {
			assert.Equal(t, "read:logs read:users", ev.Scope)
		}},
		{"isMobile string", `{"isMobile":"true"}`, func(t *testing.T, ev Event) { assert.True(t, ev.IsMobile) }},
		{"isMobile false string", `{"isMobile":"false"}`, func(t *testing.T, ev Event) { assert.False(t, ev.IsMobile) }},
		{"isMobile number", `{"isMobile":1}`, func(t *testing.T, ev Event) { assert.True(t, ev.IsMobile) }},
		{"is_mobile alias", `{"is_mobile":true}`, func(t *testing.T, ev Event) {
			assert.True(t, ev.IsMobile)
			assert.Nil(t, ev.Extra)
		}},
		{"_id fallback", `{"_id":"900123"}`, func(t *testing.T, ev Event) {
			assert.Equal(t, "900123", ev.LogID)
			assert.Nil(t, ev.Extra)
		}},
		{"_id differs", `{"log_id":"900123","_id":"abc"}`, func(t *testing.T, ev Event) {
			assert.Equal(t, "900123", ev.LogID)
			assert.JSONEq(t, `"abc"`, string(ev.Extra["_id"]))
		}},
		{"numeric log_id keeps digits", `{"log_id":90020230314144709188593000000000000001223372037868840734}`, func(t *testing.T, ev Event) {
			assert.Equal(t, "90020230314144709188593000000000000001223372037868840734", ev.LogID)
		}},
		{"ipv6", `{"ip":"2001:db8::1"}`, func(t *testing.T, ev Event) { assert.Equal(t, "2001:db8::1", ev.IP) }},
		{"number as user_id", `{"user_id":12345}`, func(t *testing.T, ev Event) { assert.Equal(t, "12345", ev.UserID) }},
		{"details array", `{"details":[1,{"a":2}]}`, func(t *testing.T, ev Event) { assert.JSONEq(t, `[1,{"a":2}]`, string(ev.Details)) }},
		{"details string", `{"details":"text"}`, func(t *testing.T, ev Event) { assert.JSONEq(t, `"text"`, string(ev.Details)) }},
		{"details null", `{"details":null}`, func(t *testing.T, ev Event) { assert.Nil(t, ev.Details) }},
		{"location numbers as strings", `{"location_info":{"country_code":"NL","latitude":"52.37","longitude":4.89,"city_name":null}}`, func(t *testing.T, ev Event) {
			require.NotNil(t, ev.Location)
			assert.Equal(t, &Location{CountryCode: "NL", Latitude: &lat, Longitude: &lon}, ev.Location)
			assert.Equal(t, "NL", ev.Country())
		}},
		{"location bad coordinate", `{"location_info":{"latitude":"north","longitude":""}}`, func(t *testing.T, ev Event) {
			require.NotNil(t, ev.Location)
			assert.Nil(t, ev.Location.Latitude)
			assert.Nil(t, ev.Location.Longitude)
		}},
		{"location string kept", `{"location_info":"Amsterdam"}`, func(t *testing.T, ev Event) {
			assert.Nil(t, ev.Location)
			assert.JSONEq(t, `"Amsterdam"`, string(ev.Extra["location_info"]))
		}},
		{"unknown fields kept, nulls dropped", `{"tenant_name":"acme","security_context":{"ja3":"x"},"gone":null}`, func(t *testing.T, ev Event) {
			assert.Len(t, ev.Extra, 2)
			assert.JSONEq(t, `"acme"`, string(ev.Extra["tenant_name"]))
			assert.JSONEq(t, `{"ja3":"x"}`, string(ev.Extra["security_context"]))
		}},
		{"nulls everywhere", `{"log_id":null,"type":null,"scope":null,"isMobile":null,"location_info":null,"date":null}`, func(t *testing.T, ev Event) {
			assert.Equal(t, Event{}, ev)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, decodeOne(t, tc.in)) })
	}
}

func TestDecodeResetsReusedValue(t *testing.T) {
	ev := decodeOne(t, `{"log_id":"a","type":"s","extra":1}`)
	require.NoError(t, json.Unmarshal([]byte(`{"log_id":"b"}`), &ev))
	assert.Equal(t, Event{LogID: "b"}, ev)
}

func TestDecodeRejectsNonObjects(t *testing.T) {
	for _, in := range []string{``, `[]`, `"x"`, `42`, `true`, `{`, `{"a":}`, `nonsense`} {
		var ev Event
		err := ev.UnmarshalJSON([]byte(in))
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), "log event", in)
	}
	var ev Event
	assert.NoError(t, ev.UnmarshalJSON([]byte(" null ")), "null is a no-op, as encoding/json expects")
}

func TestDecodeList(t *testing.T) {
	t.Run("bare array", func(t *testing.T) {
		got, err := DecodeList([]byte(` [{"log_id":"1"},{"log_id":"2"}] `))
		require.NoError(t, err)
		assert.Equal(t, []Event{{LogID: "1"}, {LogID: "2"}}, got)
	})
	t.Run("include_totals object", func(t *testing.T) {
		got, err := DecodeList([]byte(`{"start":0,"limit":50,"length":1,"total":1,"logs":[{"log_id":"1"}]}`))
		require.NoError(t, err)
		assert.Equal(t, []Event{{LogID: "1"}}, got)
	})
	t.Run("empty", func(t *testing.T) {
		got, err := DecodeList([]byte(`[]`))
		require.NoError(t, err)
		assert.Empty(t, got)
	})
	t.Run("bad element named by index", func(t *testing.T) {
		got, err := DecodeList([]byte(`[{"log_id":"1"},"oops",{"log_id":"3"},null]`))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "element 1 is a string")
		assert.Contains(t, err.Error(), "2 of 4")
		assert.Equal(t, []Event{{LogID: "1"}, {LogID: "3"}}, got, "the usable events are still returned")
	})
	for _, in := range []string{``, `{}`, `{"logs":null}`, `{"logs":{}}`, `"x"`, `[{"a":1}`, `{"logs":[`} {
		_, err := DecodeList([]byte(in))
		assert.Error(t, err, in)
	}
}

// FuzzDecode checks that no input panics the decoder, that every JSON object decodes, and that an
// event survives encoding and decoding again unchanged (Extra aside, which is not encoded).
func FuzzDecode(f *testing.F) {
	if recordingsDirIfPresent() != "" {
		for _, body := range recordedLogBodies(f) {
			f.Add([]byte(body))
			var items []json.RawMessage
			if json.Unmarshal(body, &items) == nil {
				for _, it := range items {
					f.Add([]byte(it))
				}
			}
		}
	}
	for _, s := range []string{
		`{"log_id":"1","date":"2023-03-14 14:47:08.713Z"}`,
		`{"scope":["a","b"],"ip":"2001:db8::1","details":[1,2]}`,
		`{"location_info":{"latitude":"1.5","longitude":"x"},"isMobile":"true"}`,
		`{"date":{"$date":{"$numberLong":"1678805228713"}},"user_id":123}`,
		`{"start":0,"logs":[{"_id":"9"},7]}`,
		`[null,{"date":1e400}]`, `{"date":"9999-12-31T23:59:59.999Z"}`, `{"date":253402300799999}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = DecodeList(b)
		var ev Event
		err := ev.UnmarshalJSON(b)
		trimmed := bytes.TrimSpace(b)
		if json.Valid(b) && len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == 'n') {
			require.NoError(t, err)
		}
		if err != nil {
			return
		}
		encoded, err := json.Marshal(ev)
		require.NoError(t, err, "a decoded event must encode")
		var again Event
		require.NoError(t, json.Unmarshal(encoded, &again))
		ev.Extra, again.Extra = nil, nil
		ev.Details, again.Details = compact(ev.Details), compact(again.Details)
		require.Equal(t, ev, again)
	})
}

func recordingsDirIfPresent() string {
	for _, dir := range []string{"../auth0/testdata/auth0-recordings"} {
		if _, err := os.Stat(filepath.Join(dir, "TestLogManager.json")); err == nil {
			return dir
		}
	}
	return ""
}

// compact puts a raw JSON value in canonical form (sorted keys, encoding/json's escaping), so two
// encodings of the same value compare equal: encoding escapes <, > and & in details, decoding
// keeps what it reads.
func compact(raw json.RawMessage) json.RawMessage {
	if raw == nil {
		return nil
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return b
}

func TestDetailsWithInvalidUTF8AreMadeValid(t *testing.T) {
	var e Event
	require.NoError(t, e.UnmarshalJSON([]byte("{\"log_id\":\"1\",\"details\":{\"error\":\"bad \xfa\xbb byte\"}}")))
	assert.True(t, utf8.Valid(e.Details), "%q", e.Details)
	assert.Contains(t, string(e.Details), "bad \uFFFD byte")
}
