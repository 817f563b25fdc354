package models

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// validateBaseURL accepts scheme, host and port only. Loopback over plain http stays allowed (the
// emulator at http://127.0.0.1:8787 is how the demo works), but a link-local, metadata, unspecified
// or multicast address, or an IP written in a resolver's odd forms (2852039166, 0xA9FEA9FE), is
// refused here by its text; the HTTP client checks the resolved address again when it connects.
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
	host := u.Hostname()
	if host == "" {
		return fmt.Errorf("API base URL %q has no host: give scheme, host and port such as http://127.0.0.1:8787", raw)
	}
	addr, err := netip.ParseAddr(strings.TrimSuffix(host, "."))
	if err != nil {
		if isIPLiteral(host) {
			return fmt.Errorf("API base URL %q writes an IP address in an unusual form: write it dotted, e.g. http://127.0.0.1:8787, or use a host name", raw)
		}
		return nil
	}
	if forbiddenAddr(addr) {
		return fmt.Errorf("API base URL %q points at a link-local, metadata, unspecified or multicast address, which can never be an Auth0 tenant: use your tenant's URL, a proxy's, or a local emulator's such as http://127.0.0.1:8787", raw)
	}
	return nil
}

// forbiddenAddr is an address no Auth0 API, proxy or emulator lives at, but a cloud's instance
// metadata service may: link-local (169.254.0.0/16, fe80::/10, which hold 169.254.169.254),
// Alibaba's 100.100.100.200, AWS's fd00:ec2::254, 0.0.0.0 and ::, and multicast.
func forbiddenAddr(a netip.Addr) bool {
	a = a.Unmap()
	switch {
	case a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast(), a.IsMulticast(), a.IsUnspecified():
		return true
	case a == netip.MustParseAddr("100.100.100.200"), a == netip.MustParseAddr("fd00:ec2::254"):
		return true
	}
	return false
}

// LocalBaseURL reports whether requests go to an API base URL over plain http or to a loopback
// address, which Save & test says in so many words: it is right for the emulator and wrong for a
// real tenant.
func (s Settings) LocalBaseURL() bool {
	if s.APIBaseURL == "" {
		return false
	}
	u, err := url.Parse(s.APIBaseURL)
	if err != nil {
		return false
	}
	if u.Scheme == "http" {
		return true
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
