package framer

import (
	"encoding/json"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
)

func TestDashboardLogURL(t *testing.T) {
	for domain, want := range map[string]string{
		"acme.eu.auth0.com":      "https://manage.auth0.com/dashboard/eu/acme/logs/",
		"acme.us.auth0.com":      "https://manage.auth0.com/dashboard/us/acme/logs/",
		"acme-dev.auth0.com":     "https://manage.auth0.com/dashboard/us/acme-dev/logs/",
		"ACME.AU.auth0.com":      "https://manage.auth0.com/dashboard/au/acme/logs/",
		"login.acme.com":         "", // a custom domain does not name the tenant
		"acme.eu.auth0.com.evil": "",
		"a.b.eu.auth0.com":       "",
		"":                       "",
	} {
		assert.Equal(t, want, DashboardLogURL(domain), domain)
	}
}

func TestSecurityFieldsFromOddEvents(t *testing.T) {
	cases := map[string]struct {
		e    event.Event
		want security
	}{
		"no details":       {event.Event{}, security{}},
		"invalid details":  {event.Event{Details: json.RawMessage(`{"elapsedTime": 12,`)}, security{}},
		"null elapsed":     {event.Event{Details: json.RawMessage(`{"elapsedTime": null}`)}, security{}},
		"elapsed as text":  {event.Event{Details: json.RawMessage(`{"elapsedTime": "12"}`)}, security{}},
		"negative elapsed": {event.Event{Details: json.RawMessage(`{"elapsedTime": -3}`)}, security{}},
		"partial risk": {
			event.Event{Details: json.RawMessage(`{"riskAssessment":{"confidence":"low","assessments":{"NewDevice":{"confidence":"low"}}}}`)},
			security{Risk: "low", Assessments: [3]string{"", "low", ""}},
		},
		"security_context not an object": {event.Event{Extra: map[string]json.RawMessage{"security_context": json.RawMessage(`"x"`)}}, security{}},
		"ja4 only": {
			event.Event{Extra: map[string]json.RawMessage{"security_context": json.RawMessage(`{"ja4":"t13d"}`)}},
			security{JA4: "t13d"},
		},
	}
	for name, c := range cases {
		assert.Equal(t, c.want, securityOf(&c.e), name)
	}
}

// TestTenantLabelOnEverySeries: with Tenant set, grouped and ungrouped series carry it, so an
// alert notification names the tenant; without it, labels are as before.
func TestTenantLabelOnEverySeries(t *testing.T) {
	grouped := aggregate.Count(fixtureEvents(), fixtureBuckets, mustKey("ip"))
	frames := TimeSeries(grouped, fixtureBuckets, "count", Options{RefID: "A", GroupBy: "ip", Tenant: "acme.eu.auth0.com"})
	require.Len(t, frames, len(grouped))
	for i, f := range frames {
		labels := f.Fields[1].Labels
		assert.Equal(t, "acme.eu.auth0.com", labels[TenantLabel])
		assert.Equal(t, groupLabel(grouped[i].Group), labels["ip"])
	}
	ungrouped := TimeSeries(aggregate.Count(fixtureEvents(), fixtureBuckets, nil), fixtureBuckets, "count", Options{Tenant: "acme.eu.auth0.com"})
	assert.Equal(t, data.Labels{TenantLabel: "acme.eu.auth0.com"}, ungrouped[0].Fields[1].Labels)
	plain := TimeSeries(grouped, fixtureBuckets, "count", Options{GroupBy: "ip"})
	assert.NotContains(t, plain[0].Fields[1].Labels, TenantLabel)
}
