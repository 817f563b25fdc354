package plugin

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/source"
)

var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ backend.StreamHandler         = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Datasource is one configured Auth0 tenant. Everything in it is built once, in NewDatasource.
type Datasource struct {
	settings  models.Settings
	uid, name string
	client    *auth0.Client
	fetcher   *fetch.Fetcher
	queries   *datasource.QueryTypeMux
	resources backend.CallResourceHandler
	// storeSettings and store are the tenant log store's part: router answers from the store where
	// it holds the range and from fetcher elsewhere.
	storeSettings models.StoreSettings
	store         tenantStore
	router        *source.Router
	// logsBegin caches since when Auth0 holds the tenant's logs, for baselines read on demand.
	logsBegin logsBeginCache
}

// NewDatasource is the instance factory. Its error is what "Save & test" shows, so bad settings
// are reported here, before any call to Auth0.
func NewDatasource(ctx context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	return newInstance(ctx, s, processStore)
}

// newInstance builds an instance on a given store runtime, so tests keep their stores apart.
func newInstance(ctx context.Context, s backend.DataSourceInstanceSettings, rt *storeRuntime) (instancemgmt.Instance, error) {
	settings, err := models.LoadSettings(s)
	if err != nil {
		return newSettingsErrorDatasource(err, s.DecryptedSecureJSONData), nil
	}
	storeSettings, err := models.LoadStoreSettings(s.JSONData)
	if err != nil {
		return newSettingsErrorDatasource(err, s.DecryptedSecureJSONData), nil
	}
	httpClient, err := newHTTPClient(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("cannot build the HTTP client: %w", err)
	}
	client, err := auth0.New(auth0.Config{
		BaseURL:           settings.BaseURL(),
		Audience:          settings.EffectiveAudience(),
		ClientID:          settings.ClientID,
		ClientSecret:      settings.ClientSecret,
		RequestsPerMinute: int(settings.RequestsPerMinute),
		HTTPClient:        httpClient,
		Logger:            log.DefaultLogger,
	})
	if err != nil {
		return newSettingsErrorDatasource(err, s.DecryptedSecureJSONData), nil
	}
	d := newDatasource(settings, s.UID, s.Name, client)
	d.storeSettings = storeSettings
	d.store = attachStore(rt, settings, storeSettings, client)
	d.router.Store = d.store.tenant
	return d, nil
}

func newDatasource(settings models.Settings, uid, name string, client *auth0.Client) *Datasource {
	fetcher := fetch.New(fetch.Options{Search: searchFunc(client), FlightClass: flightClass})
	d := &Datasource{settings: settings, uid: uid, name: name, client: client, fetcher: fetcher}
	d.router = &source.Router{Fetch: fetcher, Budget: int(settings.RequestsPerQuery)}
	d.queries = d.newQueryMux()
	d.resources = httpadapter.New(d.newResourceMux())
	return d
}

// newHTTPClient uses the SDK's client so Grafana's proxy, TLS, timeout and tracing settings and its
// middlewares apply to every call to Auth0. Its dialer refuses link-local, metadata, multicast and
// unspecified addresses on the address DNS resolved to, at connect time, so a domain that resolves
// (or is re-pointed) to 169.254.169.254 gets nothing. Loopback is allowed only when the API base
// URL is set on purpose (the emulator), or when the HTTP proxy the connection goes to is local.
func newHTTPClient(ctx context.Context, s backend.DataSourceInstanceSettings) (*http.Client, error) {
	opts, err := s.HTTPClientOptions(ctx)
	if err != nil {
		return nil, err
	}
	settings, loadErr := models.LoadSettings(s)
	explicitBase := loadErr == nil && settings.APIBaseURL != ""
	var base *http.Transport
	configure := opts.ConfigureTransport
	opts.ConfigureTransport = func(o httpclient.Options, t *http.Transport) {
		base = t
		allowLoopback := explicitBase
		if t.Proxy != nil && loadErr == nil {
			if u, perr := url.Parse(settings.BaseURL()); perr == nil {
				if p, perr := t.Proxy(&http.Request{URL: u}); perr == nil && p != nil {
					ip := net.ParseIP(p.Hostname())
					allowLoopback = allowLoopback || strings.EqualFold(p.Hostname(), "localhost") || (ip != nil && ip.IsLoopback())
				}
			}
		}
		t.DialContext = (&net.Dialer{Timeout: o.Timeouts.DialTimeout, KeepAlive: o.Timeouts.KeepAlive,
			Control: auth0.DialControl(allowLoopback)}).DialContext
		if configure != nil {
			configure(o, t)
		}
	}
	c, err := httpclient.New(opts)
	if err != nil {
		return nil, err
	}
	if base != nil {
		c.Transport = closingTransport{RoundTripper: c.Transport, base: base}
	}
	return c, nil
}

// closingTransport lets http.Client.CloseIdleConnections reach the SDK's transport, which the
// middleware chain hides; without it Dispose would leave the idle connections (and their
// goroutines) open until the idle timeout, 90 s by default.
type closingTransport struct {
	http.RoundTripper
	base *http.Transport
}

func (t closingTransport) CloseIdleConnections() { t.base.CloseIdleConnections() }

// searchFunc adapts the client to the fetcher: newest first, the largest page.
func searchFunc(c *auth0.Client) fetch.SearchFunc {
	return func(ctx context.Context, q string, page, perPage int) ([]event.Event, error) {
		return c.SearchLogs(ctx, auth0.SearchParams{Q: q, Page: page, PerPage: perPage, Sort: "date:-1"})
	}
}

// Dispose stops the fetches this instance still runs and releases its connections. Grafana calls
// it a few seconds after the settings change, so in-flight queries have time to finish.
func (d *Datasource) Dispose() {
	d.store.release()
	d.fetcher.Close()
	d.client.Close()
}

// CallResource serves the editor's helpers: event types, query validation, fields.
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	return d.resources.CallResource(ctx, req, sender)
}
