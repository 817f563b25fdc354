package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/models"
)

// invalidSettingsDatasource is the instance for what LoadSettings says about a wrongly typed budget into
// which the client secret was pasted: the message names the field and never carries the secret.
func invalidSettingsDatasource(t *testing.T) (*settingsErrorDatasource, string) {
	t.Helper()
	const secret = "client-secret-never-shown"
	secure := map[string]string{"clientSecret": secret}
	_, err := models.LoadSettings(backend.DataSourceInstanceSettings{
		JSONData:                json.RawMessage(`{"domain":"acme.eu.auth0.com","clientId":"c","requestsPerMinute":"abc-` + secret + `"}`),
		DecryptedSecureJSONData: secure,
	})
	require.Error(t, err)
	return newSettingsErrorDatasource(err, secure), secret
}

// TestTheSettingsErrorNeverShowsASecret covers errors that did not come through LoadSettings,
// such as the Auth0 client's own checks, which may quote what they refuse.
func TestTheSettingsErrorNeverShowsASecret(t *testing.T) {
	secure := map[string]string{"clientSecret": "s3cr3t+/=é", "storeConnection": "postgres://u:pg-pass-77@db/logs"}
	d := newSettingsErrorDatasource(errors.New(`client secret "s3cr3t+/=é" (s3cr3t%2B%2F%3D%C3%A9) is too long; store at postgres://u:pg-pass-77@db/logs, password pg-pass-77`), secure)
	for _, leak := range []string{"s3cr3t", "pg-pass-77"} {
		assert.NotContains(t, d.msg, leak)
	}
	assert.Contains(t, d.msg, "is too long", "the rest of the message stays")
}

// TestEveryQueryOfARequestCarriesTheSettingsError: with bad settings Grafana used to get a 500 for
// the first query and nothing for the rest.
func TestEveryQueryOfARequestCarriesTheSettingsError(t *testing.T) {
	d, secret := invalidSettingsDatasource(t)
	for round := 0; round < 2; round++ { // every request, not only the first
		req := &backend.QueryDataRequest{Queries: []backend.DataQuery{
			{RefID: "A", JSON: json.RawMessage(`{"queryType":"count"}`)},
			{RefID: "B", JSON: json.RawMessage(`{"queryType":"logs"}`)},
			{RefID: "C", QueryType: "top"},
		}}
		resp, err := d.QueryData(context.Background(), req)
		require.NoError(t, err)
		require.Len(t, resp.Responses, 3)
		for _, ref := range []string{"A", "B", "C"} {
			r := resp.Responses[ref]
			require.Error(t, r.Error, ref)
			assert.Equal(t, backend.StatusBadRequest, r.Status, ref)
			assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource, "%s: the settings are the user's to fix", ref)
			assert.Contains(t, r.Error.Error(), `requestsPerMinute: "abc-[redacted]" is not a whole number`, ref)
			assert.Contains(t, r.Error.Error(), "Save & test", "%s: says where to fix it", ref)
			assert.NotContains(t, r.Error.Error(), secret, ref)
		}
	}
}

func TestSaveAndTestShowsTheSettingsError(t *testing.T) {
	d, secret := invalidSettingsDatasource(t)
	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Contains(t, res.Message, `requestsPerMinute: "abc-[redacted]" is not a whole number`)
	assert.NotContains(t, res.Message, secret)
}

func TestResourcesAnswerWithTheSettingsError(t *testing.T) {
	d, secret := invalidSettingsDatasource(t)
	for _, path := range []string{"event-types", "fields", "validate"} {
		var got *backend.CallResourceResponse
		sender := backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error { got = r; return nil })
		require.NoError(t, d.CallResource(context.Background(), &backend.CallResourceRequest{Path: path, Method: http.MethodGet}, sender))
		require.NotNil(t, got, path)
		assert.Equal(t, http.StatusBadRequest, got.Status, path)
		assert.Equal(t, []string{"application/json"}, got.Headers["Content-Type"], path)
		var body map[string]string
		require.NoError(t, json.Unmarshal(got.Body, &body), path)
		assert.Contains(t, body["message"], `requestsPerMinute: "abc-[redacted]"`, path)
		assert.NotContains(t, string(got.Body), secret, path)
	}
	d.Dispose() // nothing to release, and safe to call
}
