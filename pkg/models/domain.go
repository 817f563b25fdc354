package models

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

const domainExample = "enter the tenant's bare host name, e.g. acme.eu.auth0.com or your custom domain such as login.acme.com"

// ValidateDomain accepts only a fully qualified DNS name, as OWASP's SSRF guidance asks of a host
// a server will call: Auth0 tenants and custom domains always are one. So it refuses IP literals in
// every spelling a resolver accepts (dotted, decimal 2852039166, hex 0xA9FEA9FE, octal 0251.0376.0.1,
// IPv6), single-label names such as localhost (resolved through the machine's search list, or to
// loopback), *.localhost, a trailing dot, and anything that is not a host name: a scheme, path,
// port, user info or whitespace. The API base URL is the only way to reach loopback or plain http.
func ValidateDomain(d string) error {
	if d == "" {
		return errors.New("Auth0 domain is missing: " + domainExample)
	}
	if err := domainShape(d); err != nil {
		return err
	}
	if isIPLiteral(d) {
		return fmt.Errorf("Auth0 domain %q is an IP address: %s (to reach a local emulator or proxy, set the API base URL instead)", d, domainExample)
	}
	if strings.HasSuffix(d, ".") {
		return fmt.Errorf("Auth0 domain %q ends with a dot: remove the dot, e.g. acme.eu.auth0.com", d)
	}
	if len(d) > 253 {
		return fmt.Errorf("Auth0 domain is %d characters long; a host name has at most 253: %s", len(d), domainExample)
	}
	labels := strings.Split(d, ".")
	for _, label := range labels {
		if err := checkLabel(d, label); err != nil {
			return err
		}
	}
	if len(labels) < 2 {
		return fmt.Errorf("Auth0 domain %q is not a fully qualified domain name (a name with a single label is resolved by the local network, not by public DNS): %s", d, domainExample)
	}
	if l := strings.ToLower(labels[len(labels)-1]); l == "localhost" {
		return fmt.Errorf("Auth0 domain %q names this machine, not an Auth0 tenant: %s (for a local emulator set the API base URL instead)", d, domainExample)
	}
	if isNumber(labels[len(labels)-1]) {
		return fmt.Errorf("Auth0 domain %q ends with a number, so it is not a DNS name: %s", d, domainExample)
	}
	return nil
}

// domainShape refuses what makes the value a URL rather than a host name, each with its own fix.
func domainShape(d string) error {
	switch {
	case strings.Contains(d, "://"):
		return fmt.Errorf("Auth0 domain %q has a scheme: %s", d, domainExample)
	case strings.ContainsAny(d, " \t\r\n\v\f"):
		return fmt.Errorf("Auth0 domain %q contains whitespace: %s", d, domainExample)
	case strings.Contains(d, "@"):
		return fmt.Errorf("Auth0 domain %q contains user info: %s", d, domainExample)
	case strings.ContainsAny(d, "/?#\\"):
		return fmt.Errorf("Auth0 domain %q has a path: %s", d, domainExample)
	case isIPLiteral(d):
		return nil // an IPv6 literal has colons: say "IP address", not "port"
	case strings.Contains(d, ":"):
		return fmt.Errorf("Auth0 domain %q has a port: %s (use the API base URL setting for a local emulator)", d, domainExample)
	}
	return nil
}

// checkLabel applies RFC 1123: letters, digits and inner hyphens, 1 to 63 characters.
func checkLabel(d, label string) error {
	if label == "" || len(label) > 63 {
		return fmt.Errorf("Auth0 domain %q is not a valid host name (each part between dots has 1 to 63 characters): %s", d, domainExample)
	}
	for _, r := range label {
		if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return fmt.Errorf("Auth0 domain %q has the character %q, not allowed in a host name: %s (write an international name in its xn-- form)", d, r, domainExample)
		}
	}
	if label[0] == '-' || label[len(label)-1] == '-' {
		return fmt.Errorf("Auth0 domain %q has a part that starts or ends with a hyphen, not allowed in a host name: %s", d, domainExample)
	}
	return nil
}

// isIPLiteral reports whether a resolver could read d as an address without DNS: IPv6 (with or
// without brackets or a zone), or IPv4 in inet_aton's forms, one to four parts each decimal, octal
// (leading 0) or hex (0x), which is how 2852039166 and 0xA9.0xFE.0xA9.0xFE reach 169.254.169.254.
func isIPLiteral(d string) bool {
	s := strings.TrimSuffix(strings.TrimPrefix(d, "["), "]")
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	s = strings.TrimSuffix(s, ".")
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return false
	}
	for _, p := range parts {
		if !isInetAtonNumber(p) {
			return false
		}
	}
	return true
}

func isInetAtonNumber(p string) bool {
	if p == "" {
		return false
	}
	_, err := strconv.ParseUint(p, 0, 64) // base 0: 0x hex, leading-0 octal, else decimal
	if err == nil {
		return true
	}
	// 0x alone and 0X forms are accepted by some resolvers too.
	lower := strings.ToLower(p)
	return lower == "0x" || strings.HasPrefix(lower, "0x") && isHex(lower[2:])
}

func isHex(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
