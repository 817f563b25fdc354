package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func validForm() url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID},
		"client_secret": {testSecret}, "audience": {testAudience}}
}

func TestTokenSuccessShape(t *testing.T) {
	tn := newTenant(t, Options{}, nil)
	resp, body := tn.postToken(validForm())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var got map[string]any
	require.NoError(t, json.Unmarshal(body, &got))
	assert.Equal(t, float64(86400), got["expires_in"])
	assert.Equal(t, "read:logs", got["scope"])
	assert.Equal(t, "Bearer", got["token_type"])
	tok, _ := got["access_token"].(string)
	assert.Len(t, strings.Split(tok, "."), 3, "JWT-shaped token")
	assert.NotEqual(t, tn.token, tok, "every token is new")
	assert.Equal(t, 2, tn.srv.Stats().TokensIssued)
}

func TestTokenAcceptsJSONAndBasicAuth(t *testing.T) {
	tn := newTenant(t, Options{}, nil)
	js := `{"grant_type":"client_credentials","client_id":"` + testClientID + `","client_secret":"` +
		testSecret + `","audience":"` + testAudience + `"}`
	resp, err := http.Post(tn.ts.URL+"/oauth/token", "application/json", strings.NewReader(js))
	require.NoError(t, err)
	body := readAll(t, resp)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))

	form := url.Values{"grant_type": {"client_credentials"}, "audience": {testAudience}}
	req, err := http.NewRequest(http.MethodPost, tn.ts.URL+"/oauth/token", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(testClientID, testSecret)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	body = readAll(t, resp)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
}

func TestTokenRejections(t *testing.T) {
	tn := newTenant(t, Options{}, nil)
	with := func(k, v string) url.Values { f := validForm(); f.Set(k, v); return f }
	tests := []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"wrong secret", with("client_secret", "nope"), 401, `{"error":"access_denied","error_description":"Unauthorized"}`},
		{"wrong client", with("client_id", "other"), 401, `{"error":"access_denied","error_description":"Unauthorized"}`},
		{"wrong audience", with("audience", "https://x.example/api/v2/"), 403,
			`{"error":"access_denied","error_description":"Service not enabled within domain: https://x.example/api/v2/"}`},
		{"wrong grant", with("grant_type", "password"), 400,
			`{"error":"unsupported_grant_type","error_description":"Unsupported grant type: password"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := tn.postToken(tc.form)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.JSONEq(t, tc.want, string(body))
		})
	}
	assert.Equal(t, 1, tn.srv.Stats().TokensIssued, "only the setup token")
}

func TestTokenExpiresAfterTTL(t *testing.T) {
	tn := newTenant(t, Options{TokenTTL: time.Hour}, makeEvents(3, newFakeClock().Now()))
	resp, _ := tn.get("/api/v2/logs")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	tn.clock.Advance(time.Hour - time.Second)
	resp, _ = tn.get("/api/v2/logs")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	tn.clock.Advance(time.Second)
	resp, body := tn.get("/api/v2/logs")
	requireAPIError(t, resp, body, 401, "Expired token received for JSON Web Token validation", "")
	resp, _ = tn.getWith(tn.fetchToken(), "/api/v2/logs")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "a fresh token works again")
}

func TestAPIRejectsMissingOrUnknownToken(t *testing.T) {
	tn := newTenant(t, Options{}, nil)
	for _, tok := range []string{"", "not-a-token"} {
		resp, body := tn.getWith(tok, "/api/v2/logs")
		requireAPIError(t, resp, body, 401, "Invalid token", "")
	}
}

func TestAPIRequiresLogsScope(t *testing.T) {
	tn := newTenant(t, Options{Scopes: []string{"read:users"}}, nil)
	for _, path := range []string{"/api/v2/logs", "/api/v2/logs?from=1", "/api/v2/logs/x", "/api/v2/users/u/logs"} {
		resp, body := tn.get(path)
		require.Equal(t, http.StatusForbidden, resp.StatusCode, path)
		assert.JSONEq(t, `{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: read:logs,read:logs_users","errorCode":"insufficient_scope"}`, string(body))
	}
	tn2 := newTenant(t, Options{Scopes: []string{"read:logs_users"}}, nil)
	resp, _ := tn2.get("/api/v2/logs")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "read:logs_users is enough")
}
