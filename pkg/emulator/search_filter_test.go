package emulator

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

func TestSearchUsesAuth0Syntax(t *testing.T) {
	base := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	events := []event.Event{
		{LogID: "90001", Date: base, Type: "fu", Description: "Wrong email or password.", IP: "10.0.0.1"},
		{LogID: "90002", Date: base.Add(time.Minute), Type: "fp", Description: "Wrong email or password.", IP: "10.0.0.2"},
		{LogID: "90003", Date: base.Add(2 * time.Minute), Type: "s", Description: "Successful login", IP: "10.0.0.1"},
	}
	tn := newTenant(t, Options{}, events)
	for q, want := range map[string]int{
		`(type:"fu" OR type:"fp") AND ip:"10.0.0.1"`: 1,
		`NOT type:"s"`:                                       2,
		`description:*password.`:                             2,
		`date:[2026-11-20T10:01:00 TO *]`:                    2,
		`type:"s" OR description:"Wrong email or password."`: 3,
	} {
		assert.Len(t, tn.logs("/api/v2/logs?q="+url.QueryEscape(q)), want, q)
	}
	resp, body := tn.get("/api/v2/logs?q=" + url.QueryEscape(`user_email:"a@b.c"`))
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, string(body), "The search query string has an error")
	assert.Contains(t, string(body), `unknown field \"user_email\"`)
	assert.NotContains(t, string(body), "did you mean", "hints are the plugin's, not Auth0's")
}
