package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Budget defaults. Auth0's self-service plans sustain 100 log reads a minute per tenant, shared with
// every other consumer of the tenant's logs (log exports, the dashboard), so the plugin leaves room.
const (
	DefaultRequestsPerMinute = 60
	DefaultRequestsPerQuery  = 100
	MaxRequestsPerMinute     = 6000
	MaxRequestsPerQuery      = 2000
)

// Settings is the data source configuration as the plugin uses it, after defaults and validation.
type Settings struct {
	// Domain is the tenant's host name, e.g. "acme.eu.auth0.com" or a custom domain.
	Domain   string `json:"domain"`
	ClientID string `json:"clientId"`
	// Audience overrides the Management API audience; needed with a custom domain, whose token
	// must still name the canonical tenant domain.
	Audience string `json:"audience,omitempty"`
	// APIBaseURL replaces https://{domain} for both the token and the API calls. It exists for the
	// emulator and for proxies, and is the only place plain http is allowed.
	APIBaseURL string `json:"apiBaseUrl,omitempty"`
	// RequestsPerMinute is the client-side rate limit shared by every query of this data source.
	RequestsPerMinute FlexInt `json:"requestsPerMinute,omitempty"`
	// RequestsPerQuery caps what one query may spend; past it the query returns partial data.
	RequestsPerQuery FlexInt `json:"requestsPerQuery,omitempty"`

	// ClientSecret comes from secureJsonData and is never marshalled.
	ClientSecret string `json:"-"`
}

// LoadSettings reads, defaults and validates the instance settings. Its error is what "Save & test"
// shows, so every message names the field and the fix.
func LoadSettings(src backend.DataSourceInstanceSettings) (Settings, error) {
	var s Settings
	if len(src.JSONData) > 0 {
		if err := json.Unmarshal(src.JSONData, &s); err != nil {
			return s, fmt.Errorf("the data source settings are not valid JSON (%v); re-save the data source", err)
		}
	}
	s.ClientSecret = src.DecryptedSecureJSONData["clientSecret"]
	s.Domain = strings.TrimSpace(s.Domain)
	s.ClientID = strings.TrimSpace(s.ClientID)
	s.Audience = strings.TrimSpace(s.Audience)
	s.APIBaseURL = strings.TrimRight(strings.TrimSpace(s.APIBaseURL), "/")
	if s.Domain == "" && s.APIBaseURL != "" {
		// Provisioning that names only an emulator or proxy: its host stands for the tenant.
		if u, err := url.Parse(s.APIBaseURL); err == nil {
			s.Domain = u.Hostname()
		}
	}
	if s.RequestsPerMinute == 0 {
		s.RequestsPerMinute = DefaultRequestsPerMinute
	}
	if s.RequestsPerQuery == 0 {
		s.RequestsPerQuery = DefaultRequestsPerQuery
	}
	return s, s.Validate()
}

// Validate checks the settings without any network call.
func (s Settings) Validate() error {
	if err := ValidateDomain(s.Domain); err != nil {
		return err
	}
	if s.ClientID == "" {
		return errors.New("client ID is missing: copy it from your Auth0 machine-to-machine application's Settings tab")
	}
	if s.ClientSecret == "" {
		return errors.New("client secret is missing: copy it from your Auth0 machine-to-machine application's Settings tab")
	}
	if s.APIBaseURL != "" {
		if err := validateBaseURL(s.APIBaseURL); err != nil {
			return err
		}
	}
	if s.Audience != "" {
		u, err := url.Parse(s.Audience)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return fmt.Errorf("audience %q is not an https URL: use https://YOUR_TENANT.REGION.auth0.com/api/v2/ or leave it empty", s.Audience)
		}
	}
	if s.RequestsPerMinute < 1 || s.RequestsPerMinute > MaxRequestsPerMinute {
		return fmt.Errorf("requests per minute must be between 1 and %d; Auth0 self-service plans allow 100", MaxRequestsPerMinute)
	}
	if s.RequestsPerQuery < 1 || s.RequestsPerQuery > MaxRequestsPerQuery {
		return fmt.Errorf("requests per query must be between 1 and %d", MaxRequestsPerQuery)
	}
	return nil
}

// ValidateDomain accepts a bare host name: no scheme, path, port, user info or whitespace.
func ValidateDomain(d string) error {
	const example = "enter the bare host name, e.g. acme.eu.auth0.com"
	switch {
	case d == "":
		return errors.New("Auth0 domain is missing: " + example)
	case strings.Contains(d, "://"):
		return fmt.Errorf("Auth0 domain %q has a scheme: %s", d, example)
	case strings.ContainsAny(d, " \t\r\n"):
		return fmt.Errorf("Auth0 domain %q contains whitespace: %s", d, example)
	case strings.Contains(d, "@"):
		return fmt.Errorf("Auth0 domain %q contains user info: %s", d, example)
	case strings.ContainsAny(d, "/?#"):
		return fmt.Errorf("Auth0 domain %q has a path: %s", d, example)
	case strings.Contains(d, ":"):
		return fmt.Errorf("Auth0 domain %q has a port: %s (use the API base URL setting for a local emulator)", d, example)
	}
	if len(d) > 253 {
		return fmt.Errorf("Auth0 domain is %d characters long; a host name has at most 253", len(d))
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 {
			return fmt.Errorf("Auth0 domain %q is not a valid host name: %s", d, example)
		}
		for _, r := range label {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return fmt.Errorf("Auth0 domain %q has the character %q, not allowed in a host name: %s", d, r, example)
			}
		}
	}
	return nil
}

func validateBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("API base URL %q must be an http:// or https:// URL such as http://127.0.0.1:8787; leave it empty to use https://<domain>", raw)
	}
	if u.User != nil {
		return errors.New("API base URL must not contain user info: put the credentials in client ID and secret")
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("API base URL %q must not have a path or query: give only scheme, host and port", raw)
	}
	return nil
}

// BaseURL is where the token and API requests go: the override, or https://{domain}.
func (s Settings) BaseURL() string {
	if s.APIBaseURL != "" {
		return s.APIBaseURL
	}
	return "https://" + s.Domain
}

// EffectiveAudience is the audience sent with the client-credentials grant.
func (s Settings) EffectiveAudience() string {
	if s.Audience != "" {
		return s.Audience
	}
	return "https://" + s.Domain + "/api/v2/"
}

// FlexInt is a whole number that may arrive as a JSON number or as a string: Grafana's
// provisioning expands environment variables into strings, and an unset variable into "", which
// means "use the default".
type FlexInt int

// UnmarshalJSON accepts 60, "60" and "".
func (n *FlexInt) UnmarshalJSON(b []byte) error {
	var raw any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	switch v := raw.(type) {
	case nil:
		*n = 0
	case float64:
		if v != float64(int(v)) {
			return fmt.Errorf("%v is not a whole number", v)
		}
		*n = FlexInt(v)
	case string:
		v = strings.TrimSpace(v)
		if v == "" {
			*n = 0
			return nil
		}
		i, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		*n = FlexInt(i)
	default:
		return fmt.Errorf("%s is not a whole number", b)
	}
	return nil
}
