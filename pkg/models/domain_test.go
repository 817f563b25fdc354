package models

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDomainMustBeAFullyQualifiedName holds the domain to OWASP's SSRF advice: a DNS name with a
// dot, never an address in any spelling a resolver reads, never a name the local network answers.
func TestDomainMustBeAFullyQualifiedName(t *testing.T) {
	refused := map[string]string{
		"localhost":               "not a fully qualified domain name",
		"tenant":                  "not a fully qualified domain name",
		"169.254.169.254":         "is an IP address",
		"127.0.0.1":               "is an IP address",
		"2852039166":              "is an IP address", // 169.254.169.254 as one decimal number
		"0xA9FEA9FE":              "is an IP address",
		"0251.0376.0251.0376":     "is an IP address", // octal
		"0xa9.0xfe.0xa9.0xfe":     "is an IP address",
		"127.1":                   "is an IP address",
		"::1":                     "is an IP address",
		"[::1]":                   "is an IP address",
		"fe80::1":                 "is an IP address",
		"::ffff:169.254.169.254":  "is an IP address",
		"127.0.0.1.":              "is an IP address",
		"acme.eu.auth0.com.":      "ends with a dot",
		"localhost.":              "ends with a dot",
		".acme.auth0.com":         "not a valid host name",
		"acme.localhost":          "names this machine",
		"metadata.google.123":     "ends with a number",
		"-acme.auth0.com":         "hyphen",
		"acme-.auth0.com":         "hyphen",
		"acme.auth0.com:443":      "has a port",
		"http://acme.auth0.com":   "has a scheme",
		"acme.auth0.com\\x":       "has a path",
		"bücher.example":          "xn--",
		"acme.auth0.com\u00a0.io": "not allowed in a host name",
	}
	for d, want := range refused {
		err := ValidateDomain(d)
		if assert.Error(t, err, d) {
			assert.Contains(t, err.Error(), want, d)
			assert.Contains(t, err.Error(), "e.g.", "%s: the message shows the fix", d)
		}
	}
	for _, d := range []string{"acme.eu.auth0.com", "login.acme.com", "demo.auth0logs.local", "xn--bcher-kva.example",
		"a1.b2.c3", "0x1.example.com", "123.example.com", "ACME.US.AUTH0.COM"} {
		assert.NoError(t, ValidateDomain(d), d)
	}
}

// TestBaseURLStaysOpenToLoopbackButNotToMetadata keeps the emulator's route (plain http to
// loopback) and closes the cloud metadata and link-local ones, whatever the spelling.
func TestBaseURLStaysOpenToLoopbackButNotToMetadata(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787", "https://proxy.acme.com", "http://fake-auth0:9000"} {
		_, err := LoadSettings(instance(`{"domain":"acme.auth0.com","clientId":"a","apiBaseUrl":"`+u+`"}`, "secret"))
		assert.NoError(t, err, u)
	}
	refused := map[string]string{
		"http://169.254.169.254":     "link-local, metadata",
		"http://169.254.169.254:80":  "link-local, metadata",
		"http://[fe80::1]:80":        "link-local, metadata",
		"http://[fd00:ec2::254]":     "link-local, metadata",
		"http://100.100.100.200":     "link-local, metadata",
		"http://0.0.0.0:8787":        "link-local, metadata",
		"http://[::]:8787":           "link-local, metadata",
		"http://224.0.0.1":           "link-local, metadata",
		"http://2852039166":          "unusual form",
		"http://0xA9FEA9FE":          "unusual form",
		"http://0251.0376.0251.0376": "unusual form",
	}
	for u, want := range refused {
		_, err := LoadSettings(instance(`{"domain":"acme.auth0.com","clientId":"a","apiBaseUrl":"`+u+`"}`, "secret"))
		if assert.Error(t, err, u) {
			assert.Contains(t, err.Error(), want, u)
		}
	}
}

func TestADomainTakenFromTheBaseURLNamesOnlyTheTenant(t *testing.T) {
	s, err := LoadSettings(instance(`{"clientId":"a","apiBaseUrl":"http://127.0.0.1:8787"}`, "secret"))
	require.NoError(t, err, "the emulator provisioned by its URL alone keeps working")
	assert.Equal(t, "127.0.0.1", s.Domain)
	assert.Equal(t, "http://127.0.0.1:8787", s.BaseURL())
	_, err = LoadSettings(instance(`{"domain":"127.0.0.1","clientId":"a","apiBaseUrl":"http://127.0.0.1:8787"}`, "secret"))
	require.ErrorContains(t, err, "is an IP address", "a typed domain is held to the rule even beside a base URL")
}

func TestLocalBaseURLIsReported(t *testing.T) {
	cases := map[string]bool{
		"":                       false,
		"http://127.0.0.1:8787":  true,
		"http://proxy.acme.com":  true,
		"https://localhost:8443": true,
		"https://[::1]:8443":     true,
		"https://127.0.0.2":      true,
		"https://proxy.acme.com": false,
	}
	for u, want := range cases {
		s := Settings{APIBaseURL: u}
		assert.Equal(t, want, s.LocalBaseURL(), u)
	}
}
