package auth0

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
)

// metadataAddrs are cloud metadata and platform services outside the link-local ranges. They
// hand out instance credentials to whoever asks from inside the machine, so a data source URL
// pointing there is a server-side request forgery, never Auth0.
var metadataAddrs = map[netip.Addr]string{
	netip.MustParseAddr("100.100.100.200"): "Alibaba Cloud's metadata service",
	netip.MustParseAddr("fd00:ec2::254"):   "AWS's IPv6 metadata service",
	netip.MustParseAddr("168.63.129.16"):   "Azure's platform service address",
	netip.MustParseAddr("192.0.0.192"):     "Oracle Cloud's legacy metadata service",
}

var (
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")
	broadcast   = netip.MustParseAddr("255.255.255.255")
	nat64       = netip.MustParsePrefix("64:ff9b::/96")
)

// BlockedAddressError is a connection the client refused to open because of where it would go.
type BlockedAddressError struct {
	// Addr is the resolved address, after DNS.
	Addr netip.Addr
	// Reason says what kind of address it is.
	Reason string
}

// Error names the address and why Auth0 cannot be there.
func (e *BlockedAddressError) Error() string {
	return fmt.Sprintf("%s is %s", e.Addr, e.Reason)
}

// DialControl returns a net.Dialer Control function that refuses to connect to link-local,
// metadata, unspecified, broadcast and multicast addresses, and to loopback unless
// allowLoopback. It runs on the address DNS resolved to, just before the connection opens, so a
// name that resolves to 169.254.169.254 (or is re-pointed there after a check) is refused as
// surely as the literal. Loopback is for an emulator on the same machine, and only when the API
// base URL was set on purpose.
func DialControl(allowLoopback bool) func(network, address string, c syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			host = address
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return &BlockedAddressError{Reason: "not an IP address after resolution (" + address + ")"}
		}
		if reason := refusedAddr(ip, allowLoopback); reason != "" {
			return &BlockedAddressError{Addr: ip.WithZone(""), Reason: reason}
		}
		return nil
	}
}

// refusedAddr says why the client never connects to ip, or "" when it may.
func refusedAddr(ip netip.Addr, allowLoopback bool) string {
	ip = ip.WithZone("").Unmap()
	if nat64.Contains(ip) {
		// A NAT64 gateway would carry the connection to the IPv4 address inside.
		b := ip.As16()
		if r := refusedAddr(netip.AddrFrom4([4]byte(b[12:])), allowLoopback); r != "" {
			return r + " (inside a NAT64 address)"
		}
	}
	if what, ok := metadataAddrs[ip]; ok {
		return what
	}
	switch {
	case ip.IsUnspecified() || thisNetwork.Contains(ip):
		return "an unspecified address, which reaches this machine"
	case ip == broadcast:
		return "the broadcast address"
	case ip.IsLinkLocalUnicast():
		return "a link-local address, where cloud metadata services answer"
	case ip.IsMulticast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	case ip.IsLoopback() && !allowLoopback:
		return "a loopback address, allowed only when the API base URL names it explicitly (as for the emulator)"
	}
	return ""
}

// checkBaseHost refuses, before any request, a base URL whose host is an address the dialer
// would refuse anyway, or a number that only some resolvers read as an IPv4 address
// (2852039166 and 0xa9fea9fe are 169.254.169.254). Loopback passes: a base URL is set on purpose.
func checkBaseHost(hostport string) error {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		if r := refusedAddr(ip, true); r != "" {
			return fmt.Errorf("the Auth0 base URL points at %s, which is %s: use https://YOUR_TENANT.REGION.auth0.com (or your custom domain)", ip, r)
		}
		return nil
	}
	labels := strings.Split(host, ".")
	if last := strings.ToLower(labels[len(labels)-1]); numericLabel(last) {
		return fmt.Errorf("the Auth0 base URL host %q is a number, which some resolvers read as an IP address: use a DNS name such as acme.eu.auth0.com", host)
	}
	return nil
}

// numericLabel is true for a label no top-level domain can be: decimal, octal or 0x-hex digits.
func numericLabel(s string) bool {
	if s == "" {
		return false
	}
	digits := "0123456789"
	if strings.HasPrefix(s, "0x") {
		s, digits = s[2:], "0123456789abcdef"
	}
	for _, r := range s {
		if !strings.ContainsRune(digits, r) {
			return false
		}
	}
	return true
}

// defaultDialControl is the guard of the client New builds when Config.HTTPClient is nil:
// loopback only for a base URL that names it.
func defaultDialControl(hostport string) func(network, address string, c syscall.RawConn) error {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	loopback := strings.EqualFold(host, "localhost") || (err == nil && ip.IsLoopback())
	return DialControl(loopback)
}
