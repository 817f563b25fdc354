package logquery

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// pathEvents are events with the shapes field paths read: a sapi settings change, a login with a
// risk assessment and a TLS fingerprint, and a bare event with none of it.
func pathEvents() []event.Event {
	return []event.Event{
		{Type: "sapi", IP: "10.0.0.1", UserName: "admin@Corp.example",
			Details: json.RawMessage(`{"request":{"method":"patch","path":"/api/v2/attack-protection/brute-force-protection","body":{"enabled":false}},"response":{"statusCode":200}}`)},
		{Type: "sapi", IP: "10.0.0.2",
			Details: json.RawMessage(`{"request":{"method":"patch","path":"/api/v2/attack-protection/brute-force-protection","body":{"enabled":true}},"response":{"statusCode":403}}`)},
		{Type: "s", IP: "10.0.0.3", UserName: "bob@mailinator.com", UserAgent: "python-requests/2.31.0",
			Details: json.RawMessage(`{"riskAssessment":{"confidence":"low","assessments":{"UntrustedIP":{"confidence":"low","code":"found_on_deny_list"}}}}`),
			Extra:   map[string]json.RawMessage{"security_context": json.RawMessage(`{"ja4":"t13d1516h2_8daaf6152771"}`)}},
		{Type: "fp", IP: "10.0.0.4",
			Details: json.RawMessage(`{"response":{"statusCode":"NaN"},"note":""}`),
			Extra:   map[string]json.RawMessage{"security_context": json.RawMessage(`{"ja4":""}`)}},
	}
}

func matchIndexes(t *testing.T, q string) []int {
	t.Helper()
	n, err := ParsePaths(q)
	require.NoError(t, err, q)
	m, err := CompilePaths(n)
	require.NoError(t, err, q)
	var out []int
	for i, e := range pathEvents() {
		if m.Match(&e) {
			out = append(out, i)
		}
	}
	return out
}

func TestPathConditionsMatchWhatTheEventHolds(t *testing.T) {
	cases := map[string][]int{
		`details.request.body.enabled:false`:                                  {0},
		`details.request.path:\/api\/v2\/attack-protection\/*`:                {0, 1},
		`details.request.path:*attack-protection*`:                            {0, 1},
		`details.request.path:"/api/v2/attack-protection/*"`:                  nil,
		`type:sapi AND NOT details.request.body.enabled:true`:                 {0},
		`NOT details.request.body.enabled:true`:                               {0, 2, 3},
		`details.response.statusCode:[400 TO 499]`:                            {1},
		`details.response.statusCode:[2 TO 300}`:                              {0},
		`security_context.ja4:*`:                                              {2},
		`details.riskAssessment.assessments.UntrustedIP.code:found_on_deny_*`: {2},
		`user_name.domain:MAILINATOR.com`:                                     {2},
		`user_name.domain:corp.example OR user_agent.family:python-requests`:  {0, 2},
		`ip:"10.0.0.4" OR details.riskAssessment.confidence:low`:              {2, 3},
		// "NaN" is text, not a number inside every range; an empty value is no value.
		`details.response.statusCode:[100 TO 999]`: {0, 1},
		`details.response.statusCode:[NaN TO NaN]`: {3},
		`details.note:*`:                    nil,
		`details.response.statusCode:200.0`: {0},
		`details.response.statusCode:2e2`:   {0},
		// the e-mail domain folds case in ranges as in terms
		`user_name.domain:[CORP.EXAMPLE TO CORP.EXAMPLE]`: {0},
	}
	for q, want := range cases {
		assert.Equal(t, want, matchIndexes(t, q), q)
	}
}

func TestAuth0SyntaxRefusesPaths(t *testing.T) {
	_, err := Parse(`details.request.path:"/x"`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not searchable")
	_, err = Parse(`security_context.ja4:abc`)
	require.Error(t, err, "the emulator and the store's SQL keep Auth0's syntax")
	_, err = Compile(&TermNode{Field: "user_name.domain", Value: "x.io"})
	require.Error(t, err)
}

func TestPathErrorsSayWhatToWrite(t *testing.T) {
	cases := map[string]string{
		`details:x`:         "details.request.path",
		`user_name.raw:x`:   "user_name.domain",
		`security.ja4:x`:    "a path starts at details",
		`details.a..b:x`:    "a path starts at details",
		`user_email.host:x`: "a path starts at details",
	}
	for q, want := range cases {
		_, err := ParsePaths(q)
		require.Error(t, err, q)
		var se *SyntaxError
		require.ErrorAs(t, err, &se)
		assert.Contains(t, se.Msg+" "+se.Hint, want, q)
	}
}

// TestSplitKeepsTheMeaning: searched AND filtered selects exactly what the whole query selects, and
// searched names no path, so Auth0 or the store can evaluate it.
func TestSplitKeepsTheMeaning(t *testing.T) {
	queries := []string{
		`type:sapi AND details.request.body.enabled:false`,
		`type:sapi details.request.body.enabled:false`,
		`(type:sapi OR type:s) AND NOT security_context.ja4:* AND ip:10.0.0.*`,
		`type:s OR details.request.body.enabled:false`,
		`NOT (type:fp AND user_agent.family:curl)`,
		`ip:10.0.0.1`,
		`user_name.domain:mailinator.com`,
	}
	for _, q := range queries {
		whole, err := ParsePaths(q)
		require.NoError(t, err, q)
		searched, filtered := Split(whole)
		assert.False(t, UsesPaths(searched), q)
		s, err := Compile(searched)
		require.NoError(t, err, "%s: the searched part is Auth0 syntax", q)
		f, err := CompilePaths(filtered)
		require.NoError(t, err, q)
		w, err := CompilePaths(whole)
		require.NoError(t, err, q)
		for i, e := range pathEvents() {
			assert.Equal(t, w.Match(&e), s.Match(&e) && f.Match(&e), fmt.Sprintf("%s, event %d", q, i))
		}
	}
	s, f := Split(mustParsePaths(t, `type:sapi AND details.request.body.enabled:false`))
	assert.Equal(t, `type:"sapi"`, Render(s))
	assert.Equal(t, `details.request.body.enabled:"false"`, Render(f))
	s, f = Split(mustParsePaths(t, `type:s OR details.request.body.enabled:false`))
	assert.Nil(t, s, "an OR with a path cannot be searched: Auth0 reads the range and the plugin decides")
	assert.NotNil(t, f)
}

func mustParsePaths(t *testing.T, q string) Node {
	t.Helper()
	n, err := ParsePaths(q)
	require.NoError(t, err)
	return n
}
