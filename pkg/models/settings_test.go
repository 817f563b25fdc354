package models

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func instance(jsonData string, secret string) backend.DataSourceInstanceSettings {
	s := backend.DataSourceInstanceSettings{JSONData: []byte(jsonData)}
	if secret != "" {
		s.DecryptedSecureJSONData = map[string]string{"clientSecret": secret}
	}
	return s
}

func TestLoadSettingsAppliesDefaults(t *testing.T) {
	s, err := LoadSettings(instance(`{"domain":" acme.eu.auth0.com ","clientId":"abc"}`, "shh"))
	require.NoError(t, err)
	assert.Equal(t, "acme.eu.auth0.com", s.Domain)
	assert.Equal(t, FlexInt(DefaultRequestsPerMinute), s.RequestsPerMinute)
	assert.Equal(t, FlexInt(DefaultRequestsPerQuery), s.RequestsPerQuery)
	assert.Equal(t, "https://acme.eu.auth0.com", s.BaseURL())
	assert.Equal(t, "https://acme.eu.auth0.com/api/v2/", s.EffectiveAudience())
}

func TestBudgetsAcceptProvisionedStrings(t *testing.T) {
	s, err := LoadSettings(instance(`{"domain":"a.auth0.com","clientId":"c","requestsPerMinute":"600","requestsPerQuery":""}`, "shh"))
	require.NoError(t, err)
	assert.Equal(t, FlexInt(600), s.RequestsPerMinute)
	assert.Equal(t, FlexInt(DefaultRequestsPerQuery), s.RequestsPerQuery, "an unset variable means the default")
	_, err = LoadSettings(instance(`{"domain":"a.auth0.com","clientId":"c","requestsPerMinute":"lots"}`, "shh"))
	require.ErrorContains(t, err, `"lots" is not a whole number`)
	_, err = LoadSettings(instance(`{"domain":"a.auth0.com","clientId":"c","requestsPerQuery":1.5}`, "shh"))
	require.ErrorContains(t, err, "not a whole number")
}

func TestBaseURLOverrideAndAudience(t *testing.T) {
	s, err := LoadSettings(instance(`{"domain":"login.acme.com","clientId":"abc","apiBaseUrl":"http://127.0.0.1:8787/","audience":"https://acme.eu.auth0.com/api/v2/"}`, "shh"))
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8787", s.BaseURL())
	assert.Equal(t, "https://acme.eu.auth0.com/api/v2/", s.EffectiveAudience())
}

func TestDomainDefaultsToTheBaseURLHost(t *testing.T) {
	s, err := LoadSettings(instance(`{"clientId":"abc","apiBaseUrl":"http://fake-auth0:9000"}`, "shh"))
	require.NoError(t, err)
	assert.Equal(t, "fake-auth0", s.Domain)
	assert.Equal(t, "https://fake-auth0/api/v2/", s.EffectiveAudience())
}

func TestSettingsErrorsNameTheFix(t *testing.T) {
	cases := []struct {
		name, json, secret, want string
	}{
		{"no domain", `{"clientId":"a"}`, "s", "Auth0 domain is missing"},
		{"scheme", `{"domain":"https://acme.auth0.com","clientId":"a"}`, "s", "has a scheme"},
		{"path", `{"domain":"acme.auth0.com/api","clientId":"a"}`, "s", "has a path"},
		{"port", `{"domain":"acme.auth0.com:443","clientId":"a"}`, "s", "has a port"},
		{"userinfo", `{"domain":"me@acme.auth0.com","clientId":"a"}`, "s", "user info"},
		{"whitespace", `{"domain":"acme auth0.com","clientId":"a"}`, "s", "whitespace"},
		{"bad char", `{"domain":"acme_!.auth0.com","clientId":"a"}`, "s", "not allowed in a host name"},
		{"empty label", `{"domain":"acme..auth0.com","clientId":"a"}`, "s", "not a valid host name"},
		{"no client id", `{"domain":"acme.auth0.com"}`, "s", "client ID is missing"},
		{"no secret", `{"domain":"acme.auth0.com","clientId":"a"}`, "", "client secret is missing"},
		{"base url scheme", `{"domain":"acme.auth0.com","clientId":"a","apiBaseUrl":"ftp://x"}`, "s", "must be an http:// or https:// URL"},
		{"base url path", `{"domain":"acme.auth0.com","clientId":"a","apiBaseUrl":"http://x/api"}`, "s", "must not have a path"},
		{"base url userinfo", `{"domain":"acme.auth0.com","clientId":"a","apiBaseUrl":"http://u:p@x"}`, "s", "must not contain user info"},
		{"audience", `{"domain":"acme.auth0.com","clientId":"a","audience":"acme"}`, "s", "not an https URL"},
		{"budget", `{"domain":"acme.auth0.com","clientId":"a","requestsPerMinute":-1}`, "s", "requests per minute"},
		{"query budget", `{"domain":"acme.auth0.com","clientId":"a","requestsPerQuery":999999}`, "s", "requests per query"},
		{"bad json", `{"domain":`, "s", "not valid JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadSettings(instance(c.json, c.secret))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestSettingsErrorsNeverCarryTheSecret(t *testing.T) {
	const secret = "SUPER-SECRET-VALUE-123"
	for _, js := range []string{`{"domain":"https://x"}`, `{"domain":"x.auth0.com"}`, `{"domain":"x.auth0.com","clientId":"a","apiBaseUrl":"ftp://y"}`} {
		_, err := LoadSettings(instance(js, secret))
		require.Error(t, err)
		assert.NotContains(t, err.Error(), secret)
	}
}

func TestSecretIsNeverMarshalled(t *testing.T) {
	s, err := LoadSettings(instance(`{"domain":"acme.auth0.com","clientId":"a"}`, "shh-secret"))
	require.NoError(t, err)
	b, err := jsonMarshal(s)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "shh-secret")
}
