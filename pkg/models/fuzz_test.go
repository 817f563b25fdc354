package models

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// FuzzLoadSettings: whatever the settings hold, loading them never panics, and no error shows the
// secure values, in any spelling the messages build.
func FuzzLoadSettings(f *testing.F) {
	f.Add(`{"domain":"acme.auth0.com","clientId":"a","requestsPerMinute":"abc"}`, "Zq+/=&%é\"tail", "postgres://u:pw-1234@h/db")
	f.Add(`{"domain":"2852039166","clientId":"a"}`, "secret", "")
	f.Add(`{"domain":"s3cret.example","apiBaseUrl":"http://[fe80::1]"}`, "s3cret", "host=h password='a b'")
	f.Add(`{"domain":"ed]ed]x.com"}`, "ed]ed]", "")
	f.Fuzz(func(t *testing.T, jsonData, secret, conn string) {
		secure := map[string]string{"clientSecret": secret, "storeConnection": conn}
		_, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: json.RawMessage(jsonData), DecryptedSecureJSONData: secure})
		if err == nil {
			return
		}
		for _, v := range []string{secret, conn} {
			for _, form := range spellingsOrNone(v) {
				if strings.Contains(err.Error(), form) {
					t.Fatalf("the error shows the secure value %q as %q: %s", v, form, err)
				}
			}
		}
	})
}

func spellingsOrNone(v string) []string {
	if len(v) < minRedactLen {
		return nil
	}
	return spellings(v)
}

// FuzzParseQuery: no query model panics the parser, and a model it accepts passes its own
// validation and names every key it ignored.
func FuzzParseQuery(f *testing.F) {
	f.Add(`{"queryType":"count","q":"type:fu"}`, "")
	f.Add(`{"Query":"x","eventTypes":"fu","limit":"abc"}`, "logs")
	f.Add(`{"refId":"A","intervalMs":1000,"groupBy":"ip","queryType":"top"}`, "top")
	f.Fuzz(func(t *testing.T, model, queryType string) {
		q, err := ParseQuery(json.RawMessage(model), queryType)
		if err != nil {
			return
		}
		if verr := q.Validate(); verr != nil {
			t.Fatalf("ParseQuery accepted a query that Validate refuses: %v", verr)
		}
		strict, serr := ParseQueryStrict(json.RawMessage(model), queryType)
		if (serr != nil) != (len(q.Unknown) > 0) {
			t.Fatalf("strict error %v with unknown keys %v", serr, q.Unknown)
		}
		_ = strict
	})
}
