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

	// redactor hides every secure value from the messages built from these settings.
	redactor Redactor
	// domainFromBaseURL is set when no domain was given and the API base URL's host stands in: it
	// only names the tenant (audience, messages), is never dialled, and may be an emulator's
	// 127.0.0.1, so the fully-qualified-name rule is not applied to it.
	domainFromBaseURL bool
}

// settingKinds says what each jsonData key holds, for the message about a wrongly typed value.
var settingKinds = kinds{
	"domain": "text", "clientId": "text", "audience": "text", "apiBaseUrl": "text",
	"requestsPerMinute": "a whole number", "requestsPerQuery": "a whole number",
}

// LoadSettings reads, defaults and validates the instance settings. Its error is what "Save & test"
// shows, so every message names the field and the fix, and none carries a secure value: whatever a
// message quotes from the settings passes through Redact first.
func LoadSettings(src backend.DataSourceInstanceSettings) (Settings, error) {
	s, err := loadSettings(src)
	if err != nil {
		return s, errors.New(s.Redact(err.Error()))
	}
	return s, nil
}

func loadSettings(src backend.DataSourceInstanceSettings) (Settings, error) {
	var s Settings
	s.redactor = newRedactor(src.DecryptedSecureJSONData)
	if len(src.JSONData) > 0 {
		if err := decodeObject(src.JSONData, &s, settingKinds, s.redactor.Redact); err != nil {
			var syn *json.SyntaxError
			if errors.As(err, &syn) || errors.Is(err, errNotObject) {
				return s, fmt.Errorf("the data source settings are not valid JSON (%v); re-save the data source", err)
			}
			return s, fmt.Errorf("%v: correct it in the data source settings (or the provisioning file) and save again", err)
		}
	}
	s.ClientSecret = src.DecryptedSecureJSONData["clientSecret"]
	s.Domain = strings.TrimSpace(s.Domain)
	s.ClientID = strings.TrimSpace(s.ClientID)
	s.Audience = strings.TrimSpace(s.Audience)
	s.APIBaseURL = strings.TrimRight(strings.TrimSpace(s.APIBaseURL), "/")
	if s.Domain == "" && s.APIBaseURL != "" {
		// Provisioning that names only an emulator or proxy: its host stands for the tenant.
		if u, err := url.Parse(s.APIBaseURL); err == nil && u.Hostname() != "" {
			s.Domain, s.domainFromBaseURL = u.Hostname(), true
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

// Redact replaces every secure setting in text (the client secret, a connection string, the
// password inside one, in raw, quoted and URL-encoded spellings). Use it on any message or log
// line that may quote a setting.
func (s Settings) Redact(text string) string { return s.redactor.Redact(text) }

// Validate checks the settings without any network call. A domain the user typed must be a fully
// qualified DNS name (ValidateDomain); one taken from the API base URL is checked as that URL.
func (s Settings) Validate() error {
	if !s.domainFromBaseURL {
		if err := ValidateDomain(s.Domain); err != nil {
			return err
		}
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
