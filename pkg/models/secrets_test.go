package models

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAWronglyTypedSettingNamesTheFieldAndValue: the message says which field holds what, where it
// used to say only that the settings were not valid JSON.
func TestAWronglyTypedSettingNamesTheFieldAndValue(t *testing.T) {
	cases := map[string]string{
		`{"domain":"acme.auth0.com","clientId":"a","requestsPerMinute":"abc"}`:  `requestsPerMinute: "abc" is not a whole number`,
		`{"domain":"acme.auth0.com","clientId":"a","requestsPerQuery":true}`:    `requestsPerQuery: true is not a whole number`,
		`{"domain":"acme.auth0.com","clientId":"a","requestsPerQuery":2.5}`:     `requestsPerQuery: 2.5 is not a whole number`,
		`{"domain":7,"clientId":"a"}`:                                           `domain: 7 is not text`,
		`{"domain":"acme.auth0.com","clientId":["a","b"]}`:                      `clientId: ["a","b"] is not text`,
		`{"domain":"acme.auth0.com","clientId":"a","apiBaseUrl":{"x":1}}`:       `apiBaseUrl: {"x":1} is not text`,
		`{"Domain":"acme.auth0.com","clientId":"a","RequestsPerMinute":"many"}`: `requestsPerMinute: "many" is not a whole number`,
	}
	for js, want := range cases {
		_, err := LoadSettings(instance(js, "secret"))
		if assert.Error(t, err, js) {
			assert.Contains(t, err.Error(), want, js)
			assert.NotContains(t, err.Error(), "not valid JSON", js)
			assert.Contains(t, err.Error(), "data source settings", "%s: says where to fix it", js)
		}
	}
	long := `{"domain":"acme.auth0.com","clientId":"a","requestsPerMinute":"` + strings.Repeat("9x", 500) + `"}`
	_, err := LoadSettings(instance(long, "secret"))
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 300, "a pasted document does not flood the message")
	for _, js := range []string{`{"domain":`, `[1,2]`, `"acme.auth0.com"`} {
		_, err := LoadSettings(instance(js, "secret"))
		require.ErrorContains(t, err, "not valid JSON", js)
	}
}

// TestNoSettingsErrorEchoesASecureValue covers the secret routes there are and the ones to come:
// the client secret and a store connection string (with its password alone), in every spelling a
// message builds (raw, %q-quoted, URL-encoded), wherever the user pasted them by mistake.
func TestNoSettingsErrorEchoesASecureValue(t *testing.T) {
	const secret = `Zq+/=&%é"tail`
	const password = `pw-Xy12/%`
	conn := "postgres://grafana:" + url.PathEscape(password) + "@db.internal:5432/logs?sslmode=require"
	kv := `host=db.internal user=grafana password='s3cr\'et pass' dbname=logs`
	secure := map[string]string{"clientSecret": secret, "storeConnection": conn, "other": kv}
	pasted := []string{secret, conn, password, url.PathEscape(password), url.QueryEscape(secret), `s3cr'et pass`, kv}
	for _, p := range pasted {
		for _, field := range []string{"domain", "apiBaseUrl", "audience", "requestsPerMinute"} {
			js := `{"domain":"acme.auth0.com","clientId":"a",` + strconv.Quote(field) + `:` + strconv.Quote(p) + `}`
			_, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(js), DecryptedSecureJSONData: secure})
			require.Error(t, err, "%s in %s", p, field)
			msg := err.Error()
			for _, form := range []string{secret, password, url.PathEscape(password), url.QueryEscape(secret), `s3cr'et pass`, `s3cr\'et pass`,
				strconv.Quote(secret)[1 : len(strconv.Quote(secret))-1]} {
				assert.NotContains(t, msg, form, "%s pasted in %s", p, field)
			}
			assert.Contains(t, msg, redacted, "%s in %s: the message says something was hidden", p, field)
		}
	}
}

func TestRedactIsOfferedForOtherMessages(t *testing.T) {
	s, err := LoadSettings(backend.DataSourceInstanceSettings{
		JSONData:                []byte(`{"domain":"acme.auth0.com","clientId":"a"}`),
		DecryptedSecureJSONData: map[string]string{"clientSecret": "client-secret-1", "storeConnection": "postgres://u:db-pass-2@h/db"},
	})
	require.NoError(t, err)
	got := s.Redact(`connect to postgres://u:db-pass-2@h/db failed: password "db-pass-2" rejected; secret=client-secret-1`)
	assert.NotContains(t, got, "db-pass-2")
	assert.NotContains(t, got, "client-secret-1")
	assert.Contains(t, got, "failed", "the rest of the message stays")
	assert.Equal(t, "a b c", s.Redact("a b c"))
	assert.Equal(t, "abc", Settings{}.Redact("abc"), "the zero Settings redacts nothing and does not panic")
}

func TestConnectionPasswords(t *testing.T) {
	cases := map[string][]string{
		"postgres://u:p%40ss@h/db":              {"p%40ss", "p@ss"},
		"postgresql://u:plain@h:5432/db":        {"plain"},
		"host=h password=abc123 user=u":         {"abc123"},
		"host=h PASSWORD = 'a b\\'c' user=u":    {"a b'c"},
		"host=h passwordfile=/x user=u":         nil,
		"just-a-secret-value":                   nil,
		"postgres://u@h/db":                     nil,
		"postgres://u:@h/db password='unclosed": {"", "unclosed"},
	}
	for in, want := range cases {
		got := connectionPasswords(in)
		var nonEmpty []string
		for _, g := range got {
			if g != "" {
				nonEmpty = append(nonEmpty, g)
			}
		}
		var wantNonEmpty []string
		for _, w := range want {
			if w != "" {
				wantNonEmpty = append(wantNonEmpty, w)
			}
		}
		assert.Equal(t, wantNonEmpty, nonEmpty, in)
	}
}

func TestAWronglyTypedStoreSettingNamesTheFieldAndValue(t *testing.T) {
	for body, want := range map[string]string{
		`{"storeEnabled":"maybe"}`:     `storeEnabled: "maybe" is not true or false`,
		`{"storePollSeconds":"often"}`: `storePollSeconds: "often" is not a whole number`,
		`{"storeRetentionDays":[30]}`:  `storeRetentionDays: [30] is not a whole number`,
		`{"storeEnabled":{"on":true}}`: `storeEnabled: {"on":true} is not true or false`,
	} {
		_, err := LoadStoreSettings([]byte(body))
		require.Error(t, err, body)
		assert.Contains(t, err.Error(), want, body)
	}
}

// TestNewRedactorHidesAConnectionStringFromGrafanaIni is for secrets that are not data-source
// settings, such as the store's PostgreSQL URL from grafana.ini.
func TestNewRedactorHidesAConnectionStringFromGrafanaIni(t *testing.T) {
	r := NewRedactor("postgres://grafana:Pg%2Fpass-99@db:5432/logs", "")
	got := r.Redact(`cannot connect to postgres://grafana:Pg%2Fpass-99@db:5432/logs: password authentication failed (password "Pg/pass-99")`)
	assert.NotContains(t, got, "Pg%2Fpass-99")
	assert.NotContains(t, got, "Pg/pass-99")
	assert.Contains(t, got, "password authentication failed")
	assert.Equal(t, "no secret here", Redactor(nil).Redact("no secret here"))
	assert.Equal(t, withheld, NewRedactor("dact").Redact("dact"), "a secret the marker contains withholds the whole text")
}
