package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordedLog is a log object from go-auth0's TestLogManager_CheckpointPagination recording.
const recordedLog = `{"_id":"90020230602105804441281000000000000001223372045029304287","log_id":"90020230602105804441281000000000000001223372045029304287","date":"2023-06-02T10:57:59.007Z","type":"fn","description":"To: test@example.com","connection":null,"connection_id":"","organization_id":null,"organization_name":null,"client_id":"WC5ESxuFU9JEQOQNnUskg3Lr5if0nRVG","client_name":null,"ip":"[REDACTED]","hostname":null,"details":{"email_type":"organization_invitation","error":"the domain is blacklisted","to":"test@example.com"},"user_id":"","user_name":"test@example.com","user_agent":"Other 0.0.0 / Other 0.0.0","audience":null,"strategy":null,"strategy_type":null,"isMobile":false,"location_info":null}`

func TestGetLogByID(t *testing.T) {
	var ev event.Event
	require.NoError(t, json.Unmarshal([]byte(recordedLog), &ev))
	tn := newTenant(t, Options{}, []event.Event{ev})

	resp, body := tn.get("/api/v2/logs/" + ev.LogID)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	var got, want map[string]any
	require.NoError(t, json.Unmarshal(body, &got))
	require.NoError(t, json.Unmarshal([]byte(recordedLog), &want))
	for k, v := range got {
		assert.Equal(t, want[k], v, "field %s round-trips as recorded", k)
	}
	for _, k := range []string{"_id", "log_id", "date", "type", "description", "client_id", "details", "user_name", "user_agent"} {
		assert.Contains(t, got, k)
	}

	resp, body = tn.get("/api/v2/logs/90020230602105804441281000000000000001223372045029304288")
	requireAPIError(t, resp, body, 404, "log not found", "inexistent_log")
}

func TestUserLogs(t *testing.T) {
	evs := makeEvents(70, newFakeClock().Now())
	tn := newTenant(t, Options{}, evs)
	var want []string
	for _, id := range sortedIDs(evs, true) {
		for _, e := range evs {
			if e.LogID == id && e.UserID == "auth0|user3" {
				want = append(want, id)
			}
		}
	}
	require.Len(t, want, 10)
	assert.Equal(t, want, ids(tn.logs("/api/v2/users/auth0%7Cuser3/logs")))
	assert.Equal(t, want[4:8], ids(tn.logs("/api/v2/users/auth0%7Cuser3/logs?page=1&per_page=4")))
	assert.Empty(t, tn.logs("/api/v2/users/auth0%7Cnobody/logs"))

	resp, body := tn.get("/api/v2/users/auth0%7Cuser3/logs?include_totals=true&per_page=3")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.True(t, strings.HasPrefix(string(body), `{"start":0,"limit":3,"length":3,"total":3,"logs":[`), string(body))
	resp, _ = tn.get("/api/v2/users/auth0%7Cuser3/logs?per_page=101")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

func TestUnknownRoutesAndLongURIs(t *testing.T) {
	tn := newTenant(t, Options{}, nil)
	for _, path := range []string{"/", "/api/v2/users", "/api/v2/logs/a/b", "/api/v1/logs", "/oauth/token"} {
		resp, body := tn.get(path) // GET /oauth/token is not a route either
		requireAPIError(t, resp, body, 404, "Not Found", "")
	}
	resp, body := tn.get("/api/v2/logs?q=" + strings.Repeat("a", 8<<10))
	requireAPIError(t, resp, body, 414, "Request-URI Too Large", "")
	assert.Equal(t, 6, tn.srv.Stats().Requests[EndpointOther])
}
