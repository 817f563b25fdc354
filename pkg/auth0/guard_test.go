package auth0

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRefusedAddresses(t *testing.T) {
	refused := []string{
		"169.254.169.254", "169.254.0.1", "fe80::1", "fe80::1%eth0", "100.100.100.200", "fd00:ec2::254",
		"168.63.129.16", "192.0.0.192", "0.0.0.0", "0.1.2.3", "::", "255.255.255.255", "224.0.0.1",
		"239.255.255.250", "ff02::1", "ff05::2", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "127.0.0.1", "::1",
	}
	for _, a := range refused {
		assert.NotEmpty(t, refusedAddr(netip.MustParseAddr(a), false), a)
	}
	allowed := []string{"8.8.8.8", "104.16.0.1", "10.1.2.3", "192.168.1.10", "2606:4700::6810:1", "100.100.100.201"}
	for _, a := range allowed {
		assert.Empty(t, refusedAddr(netip.MustParseAddr(a), false), a)
	}
	for _, a := range []string{"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"} {
		assert.Empty(t, refusedAddr(netip.MustParseAddr(a), true), "loopback when allowed: %s", a)
	}
	assert.NotEmpty(t, refusedAddr(netip.MustParseAddr("169.254.169.254"), true), "allowing loopback allows nothing else")
}

func TestBaseURLHostsRefusedBeforeAnyRequest(t *testing.T) {
	for _, base := range []string{
		"http://169.254.169.254", "https://[fe80::1]", "http://100.100.100.200", "http://[fd00:ec2::254]:80",
		"http://0.0.0.0:8787", "https://2852039166", "https://0xa9fea9fe", "https://169.254.43518", "https://tenant.0251",
	} {
		_, err := New(Config{BaseURL: base, ClientID: "a", ClientSecret: "b"})
		require.Error(t, err, base)
		assert.Contains(t, err.Error(), "base URL", base)
	}
	for _, base := range []string{"http://127.0.0.1:8787", "http://localhost:8787", "https://acme.eu.auth0.com", "https://logs.acme-123.com"} {
		c, err := New(Config{BaseURL: base, ClientID: "a", ClientSecret: "b"})
		require.NoError(t, err, base)
		c.Close()
	}
}

// guardedClient is an HTTP client whose dialer runs the guard, as the plugin builds it.
func guardedClient(allowLoopback bool) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: (&net.Dialer{Timeout: 5 * time.Second, Control: DialControl(allowLoopback)}).DialContext,
	}}
}

func TestDialGuardChecksTheResolvedAddress(t *testing.T) {
	f := newFake(t, okEmpty)
	// "localhost" passes every check on the string; only the resolved 127.0.0.1 tells.
	byName := strings.Replace(f.srv.URL, "127.0.0.1", "localhost", 1)

	c, rec := newTestClient(t, f, func(cfg *Config) { cfg.BaseURL, cfg.HTTPClient = byName, guardedClient(false) })
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refused to connect")
	assert.Contains(t, err.Error(), "loopback")
	assert.Zero(t, f.tokenHits.Load()+f.apiHits.Load(), "nothing reached the server")
	assert.Empty(t, rec.waits(), "a refused address is not retried")

	ok, _ := newTestClient(t, f, func(cfg *Config) { cfg.BaseURL, cfg.HTTPClient = byName, guardedClient(true) })
	_, err = ok.SearchLogs(context.Background(), SearchParams{})
	require.NoError(t, err, "loopback is allowed when the API base URL names it")
}

func TestDialControlRefusesMetadataAtConnectTime(t *testing.T) {
	control := DialControl(true)
	for _, addr := range []string{"169.254.169.254:80", "[fd00:ec2::254]:80", "100.100.100.200:80", "[fe80::1%lo]:443", "0.0.0.0:8787"} {
		err := control("tcp", addr, nil)
		var blocked *BlockedAddressError
		require.ErrorAs(t, err, &blocked, addr)
	}
	require.NoError(t, control("tcp", "127.0.0.1:8787", nil))
	require.NoError(t, control("tcp6", "[2606:4700::6810:1]:443", nil))
}
