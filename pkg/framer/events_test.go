package framer

import (
	"encoding/json"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func location(country, city string, lat, long float64) *event.Location {
	return &event.Location{CountryCode: country, CountryName: country, CityName: city, Latitude: &lat, Longitude: &long}
}

// fixtureEvents is a small page of events, newest first as Auth0 returns them, covering a failure
// with a description and location, a success without a description, a block without a user, an
// event type the catalog does not know and a Management API write with nested details.
func fixtureEvents() []event.Event {
	return []event.Event{
		{
			LogID: "90020240312101530123", Date: at("2024-03-12T10:15:30.123Z"), Type: "fu",
			Description: "Wrong email or password.", UserName: "alice@example.com", IP: "203.0.113.7",
			ClientName: "Web App", ClientID: "cid-web", Connection: "Username-Password-Authentication",
			Strategy: "auth0", Hostname: "acme.eu.auth0.com", UserAgent: "Chrome 122.0.0 / Mac OS X 14.3.0",
			Location: location("DE", "Berlin", 52.52, 13.405),
			Details:  json.RawMessage(`{ "error": { "message": "Wrong email or password." } }`),
		},
		{
			LogID: "90020240312090000000", Date: at("2024-03-12T09:00:00Z"), Type: "s",
			UserName: "bob@example.com", UserID: "auth0|65f0a1", IP: "198.51.100.4",
			ClientName: "Web App", ClientID: "cid-web", Connection: "Username-Password-Authentication",
			Strategy: "auth0", Hostname: "acme.eu.auth0.com", Location: location("FR", "Paris", 48.8566, 2.3522),
			// riskAssessment and elapsedTime as in Auth0's documented successful login
			// (../shared/seeds/log-event-details-examples.txt); security_context as the catalogue's
			// queries read it (auth0/auth0-customer-detections, credential_stuffing_signals.yml).
			Details: json.RawMessage(`{"elapsedTime":10824,"riskAssessment":{"confidence":"medium","assessments":{` +
				`"UntrustedIP":{"confidence":"high","code":"ip_not_found"},"NewDevice":{"confidence":"medium","code":"match_useragent"},` +
				`"ImpossibleTravel":{"confidence":"low","code":"missing_geoip"}}}}`),
			Extra: map[string]json.RawMessage{"security_context": json.RawMessage(`{"ja3":"771,4865-4866-4867,0-23-65281,29-23-24,0","ja4":"t13d1516h2_8daaf6152771_e5627efa2ab1"}`)},
		},
		{
			LogID: "90020240311235959000", Date: at("2024-03-11T23:59:59Z"), Type: "limit_wc",
			Description: "Too many failed logins for one account.", IP: "203.0.113.7",
			ClientName: "Web App", ClientID: "cid-web", Connection: "Username-Password-Authentication",
		},
		{
			LogID: "90020240311083000000", Date: at("2024-03-11T08:30:00Z"), Type: "brand_new_type",
			UserID: "google-oauth2|1234", Details: json.RawMessage(`null`),
		},
		{
			LogID: "90020240310000000000", Date: at("2024-03-10T00:00:00Z"), Type: "sapi",
			Description: "Update a client", IP: "192.0.2.10", ClientName: "Terraform", ClientID: "cid-tf",
			Hostname: "acme.eu.auth0.com", Details: json.RawMessage(`{"request":{"method":"patch","path":"/api/v2/clients/cid-web"},"response":{"statusCode":200}}`),
		},
	}
}

// fixtureBuckets are the three days the fixture spans, as a dashboard asking for a daily histogram
// from mid-day would get them.
var fixtureBuckets = aggregate.NewBuckets(at("2024-03-10T06:00:00Z"), at("2024-03-12T18:00:00Z"), 24*time.Hour)

func mustKey(field string) aggregate.Key {
	k, err := aggregate.KeyFor(field)
	if err != nil {
		panic(err)
	}
	return k
}

// withDS are options as the plugin passes them for a configured instance.
var withDS = Options{RefID: "A", DatasourceUID: "auth0-logs-uid", DatasourceName: "Auth0 logs", Domain: "acme.eu.auth0.com"}
