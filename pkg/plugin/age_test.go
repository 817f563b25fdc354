package plugin

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/models"
)

// TestAgesReadAsAPersonSaysThem: Save & test said "4353h56m1s ago".
func TestAgesReadAsAPersonSaysThem(t *testing.T) {
	cases := map[time.Duration]string{
		4353*time.Hour + 56*time.Minute + time.Second: "181 days ago",
		0:                              "just now",
		59 * time.Second:               "just now",
		-30 * time.Second:              "just now",
		time.Minute:                    "1 minute ago",
		3*time.Minute + 59*time.Second: "3 minutes ago",
		time.Hour:                      "1 hour ago",
		23*time.Hour + 59*time.Minute:  "23 hours ago",
		24 * time.Hour:                 "1 day ago",
		47 * time.Hour:                 "1 day ago",
		30 * 24 * time.Hour:            "30 days ago",
		-10 * time.Minute:              "dated 10 minutes ahead of this server's clock (check the server's time)",
	}
	for d, want := range cases {
		assert.Equal(t, want, humanAge(d), d.String())
	}
}

func TestRouteNoteNamesTheBaseURLInUse(t *testing.T) {
	load := func(js string) models.Settings {
		s, err := models.LoadSettings(backend.DataSourceInstanceSettings{JSONData: json.RawMessage(js),
			DecryptedSecureJSONData: map[string]string{"clientSecret": "s3cret"}})
		require.NoError(t, err)
		return s
	}
	note := routeNote(load(`{"domain":"demo.auth0logs.local","clientId":"c","apiBaseUrl":"http://127.0.0.1:8787"}`))
	assert.Contains(t, note, "Using the API base URL http://127.0.0.1:8787 instead of https://demo.auth0logs.local")
	assert.Contains(t, routeNote(load(`{"domain":"acme.auth0.com","clientId":"c","apiBaseUrl":"https://localhost:8443"}`)), "https://localhost:8443")
	assert.Empty(t, routeNote(load(`{"domain":"acme.auth0.com","clientId":"c"}`)))
	assert.Empty(t, routeNote(load(`{"domain":"acme.auth0.com","clientId":"c","apiBaseUrl":"https://proxy.acme.com"}`)),
		"an https proxy elsewhere is an ordinary route")
}

// TestSaveAndTestSaysTheAgeAndTheRoute runs Save & test against the emulator behind an http base
// URL: the message names that route and words the newest log's age as a person would.
func TestSaveAndTestSaysTheAgeAndTheRoute(t *testing.T) {
	rt := newRelTenant(t, relOptions{})
	res, err := rt.datasource(t).CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: rt.pluginContext()})
	require.NoError(t, err)
	require.Equal(t, backend.HealthStatusOk, res.Status, res.Message)
	assert.Contains(t, res.Message, "Using the API base URL "+rt.url+" instead of https://"+testDomain)
	assert.Regexp(t, `Newest log: .+ \(\w+\), (just now|\d+ (minute|hour|day)s? ago|dated .+ ahead of this server's clock .+)\.`, res.Message)
	assert.NotRegexp(t, `\d+h\d+m`, res.Message, "no Duration spelling")
}
