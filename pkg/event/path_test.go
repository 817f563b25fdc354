package event

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func values(e *Event, path string) []string {
	var out []string
	e.EachPathValue(path, func(v string) bool { out = append(out, v); return false })
	return out
}

func TestEachPathValueReadsInsideDetailsAndSecurityContext(t *testing.T) {
	e := &Event{
		UserName: "Ann@Example.COM", UserAgent: "curl/8.5.0", IsMobile: true, Audience: "https://api",
		Details: json.RawMessage(`{"request":{"path":"/api/v2/attack-protection/breached-password-detection","body":{"enabled":false,"shields":["block","admin_notification"]}},
			"response":{"statusCode":200},"grants":[{"scope":["read:users","delete:users"]},{"scope":"create:users"}],"gone":null,"obj":{"a":1}}`),
		Extra:    map[string]json.RawMessage{"security_context": json.RawMessage(`{"ja3":"769,47","ja4":"t13d1516h2_8daaf6152771"}`)},
		Location: &Location{CountryCode: "NL"},
	}
	cases := map[string][]string{
		"details.request.path":         {"/api/v2/attack-protection/breached-password-detection"},
		"details.request.body.enabled": {"false"},
		"details.request.body.shields": {"block", "admin_notification"},
		"details.response.statusCode":  {"200"},
		"details.grants.scope":         {"read:users", "delete:users", "create:users"},
		"details.grants.1.scope":       {"create:users"},
		"details.grants.0.scope.1":     {"delete:users"},
		"details.grants.7.scope":       nil,
		"details.gone":                 nil,
		"details.missing.deeper":       nil,
		"details.request.path.deeper":  nil,
		"details.obj":                  {`{"a":1}`},
		"security_context.ja4":         {"t13d1516h2_8daaf6152771"},
		"auth0_client.name":            nil,
		"location_info.country_code":   {"NL"},
		"location_info.city_name":      nil,
		"user_name.domain":             {"example.com"},
		"user_agent.family":            {"curl"},
		"isMobile":                     {"true"},
		"audience":                     {"https://api"},
		"scope":                        nil,
	}
	for path, want := range cases {
		assert.True(t, IsPath(path), path)
		assert.Equal(t, want, values(e, path), path)
	}
	assert.Equal(t, "block", e.PathValue("details.request.body.shields"), "the first value groups")
}

// TestEachPathValueBoundsNestedArrays: a hostile body of arrays inside arrays is followed only a
// few levels down, so reading it costs linear time, not quadratic.
func TestEachPathValueBoundsNestedArrays(t *testing.T) {
	deep := func(n int) *Event {
		return &Event{Details: json.RawMessage(`{"a":` + strings.Repeat("[", n) + `{"b":1}` + strings.Repeat("]", n) + `}`)}
	}
	assert.Equal(t, []string{"1"}, values(deep(maxArrayNesting), "details.a.b"))
	assert.Empty(t, values(deep(maxArrayNesting+1), "details.a.b"))
	assert.Empty(t, values(deep(9000), "details.a.b"))
}

func TestIsPath(t *testing.T) {
	for _, p := range []string{"details", "details.", "details..x", "user_name", "user_name.raw", "ip", "foo.bar", "location_info"} {
		assert.False(t, IsPath(p), p)
	}
}

func TestUserAgentFamily(t *testing.T) {
	cases := map[string]string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36":               "Chrome",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0": "Edge",
		"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0":                                                        "Firefox",
		"python-requests/2.31.0":                   "python-requests",
		"Chrome 86.0.4240 / Mac OS X 10.15.6":      "Chrome",
		"Mobile Safari 17.5.0 / iOS 17.5.1":        "Mobile Safari",
		"Samsung Internet 25.0.0 / Android 14.0.0": "Samsung Internet",
		"Other 0.0.0 / Other 0.0.0":                "Other",
		"okhttp/4.9.0":                             "okhttp",
		"Go-http-client/1.1":                       "Go-http-client",
		"":                                         "",
		"/weird":                                   "Other",
	}
	for ua, want := range cases {
		assert.Equal(t, want, (&Event{UserAgent: ua}).UserAgentFamily(), ua)
	}
}

func TestEmailDomain(t *testing.T) {
	for name, want := range map[string]string{"a@b.io": "b.io", "x@y@Z.org": "z.org", "no-at": "", "trailing@": ""} {
		assert.Equal(t, want, (&Event{UserName: name}).EmailDomain(), name)
	}
}
