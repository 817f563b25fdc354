package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/event"
)

// The reliability tests (faults, paging, load, secrets, hostile input) share this harness: an
// emulated tenant behind a recorder that timestamps every API request, remembers every token the
// emulator issued, and can flip fault switches after the n-th log search, in the middle of a fetch.

// longRuns says whether the long versions run: AUTH0LOGS_LONG=1 (see docs/reliability.md).
func longRuns() bool { return os.Getenv("AUTH0LOGS_LONG") == "1" }

type relOptions struct {
	events       []event.Event // nil: the generated tenant of days x perDay
	days, perDay int
	rpm, rpq     int // the data source's requests per minute and per query; 0: 6000 and 2000
	rateLimit    emulator.RateLimit
	indexDelay   time.Duration
	now          func() time.Time // the emulator's clock; nil: fixed at testEnd + 1h
	secret       string           // the client secret; "": testSecret
	retention    time.Duration    // the emulator drops events older than this; 0: keeps all
}

type relTenant struct {
	emu    *emulator.Server
	rec    *recorder
	url    string
	events []event.Event
	o      relOptions
}

func newRelTenant(t *testing.T, o relOptions) *relTenant {
	t.Helper()
	if o.events == nil {
		o.days, o.perDay = max(o.days, 2), max(o.perDay, 1500)
		o.events = generated(o.days, o.perDay)
	}
	o.rpm, o.rpq = cmpOr(o.rpm, 6000), cmpOr(o.rpq, 2000)
	if o.secret == "" {
		o.secret = testSecret
	}
	if o.now == nil {
		o.now = func() time.Time { return testEnd.Add(time.Hour) }
	}
	emu := emulator.New(emulator.Options{
		Domain: testDomain, ClientID: testClientID, ClientSecret: o.secret,
		RateLimit: o.rateLimit, IndexDelay: o.indexDelay, Now: o.now, Retention: o.retention,
	}, o.events)
	rec := &recorder{next: emu}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return &relTenant{emu: emu, rec: rec, url: srv.URL, events: o.events, o: o}
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// realClock is the emulator clock for fault tests: x-ratelimit-reset must be in the client's future.
func realClock() time.Time { return time.Now() }

func (rt *relTenant) settings() backend.DataSourceInstanceSettings {
	js, _ := json.Marshal(map[string]any{
		"domain": testDomain, "clientId": testClientID, "apiBaseUrl": rt.url,
		"requestsPerMinute": rt.o.rpm, "requestsPerQuery": rt.o.rpq,
	})
	return backend.DataSourceInstanceSettings{
		UID: "auth0-rel", Name: "Auth0 reliability", Type: "seed-auth0logs-datasource", JSONData: js,
		Updated: time.Unix(1, 0), DecryptedSecureJSONData: map[string]string{"clientSecret": rt.o.secret},
	}
}

func (rt *relTenant) pluginContext() backend.PluginContext { return pluginContextFor(rt.settings()) }

func (rt *relTenant) datasource(t *testing.T) *Datasource { return instanceFor(t, rt.settings()) }

// truth is the ground truth: how many of the tenant's events match q in the range.
func (rt *relTenant) truth(q string, tr backend.TimeRange) int64 {
	return (&testTenant{events: rt.events}).count(q, tr)
}

// query runs one query through QueryData under ctx.
func (rt *relTenant) query(ctx context.Context, t *testing.T, d *Datasource, tr backend.TimeRange, model string) backend.DataResponse {
	t.Helper()
	resp, err := d.QueryData(ctx, &backend.QueryDataRequest{
		PluginContext: rt.pluginContext(),
		Queries:       []backend.DataQuery{{RefID: "A", TimeRange: tr, Interval: time.Hour, MaxDataPoints: 1000, JSON: json.RawMessage(model)}},
	})
	require.NoError(t, err)
	return resp.Responses["A"]
}

// total adds up one numeric field over every frame of a response.
func total(t *testing.T, frames data.Frames, field string) int64 {
	t.Helper()
	var n int64
	for _, f := range frames {
		n += sumField(t, f, field)
	}
	return n
}

// warnings returns the texts of the warning notices of a response.
func warnings(frames data.Frames) []string {
	var out []string
	for _, f := range frames {
		if f.Meta == nil {
			continue
		}
		for _, n := range f.Meta.Notices {
			if n.Severity == data.NoticeSeverityWarning {
				out = append(out, n.Text)
			}
		}
	}
	return out
}

var missingRe = regexp.MustCompile(`events from (\S+) to (\S+) are missing`)

// missingTo reads the end of the missing range from a partial-result notice.
func missingTo(t *testing.T, notice string) time.Time {
	t.Helper()
	m := missingRe.FindStringSubmatch(notice)
	require.NotNil(t, m, "the notice names the missing range: %s", notice)
	to, err := time.Parse(time.RFC3339, m[2])
	require.NoError(t, err)
	return to
}

// recorder sits in front of the emulator. It records when each API request arrived, captures the
// access tokens the emulator issues, and runs actions when the n-th log search arrives.
type recorder struct {
	next http.Handler

	mu       sync.Mutex
	arrivals []time.Time
	tokenAsk int // token requests that have arrived, answered or not
	tokens   []string
	searches int
	// checkpoints counts checkpoint-mode reads (the store's tail), which searches also counts.
	checkpoints int
	actions     map[int]func()
	// intercept, when set, may answer a request instead of the emulator (it returns true then).
	intercept func(w http.ResponseWriter, r *http.Request) bool
}

// interceptWith installs (or, with nil, removes) the intercept.
func (r *recorder) interceptWith(f func(w http.ResponseWriter, r *http.Request) bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.intercept = f
}

// at runs do when the n-th log search arrives, before it is served.
func (r *recorder) at(n int, do func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.actions == nil {
		r.actions = map[int]func(){}
	}
	r.actions[n] = do
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	intercept := r.intercept
	r.mu.Unlock()
	if intercept != nil && intercept(w, req) {
		return
	}
	if req.URL.Path == "/oauth/token" {
		r.mu.Lock()
		r.tokenAsk++
		r.mu.Unlock()
		tw := &teeWriter{ResponseWriter: w}
		r.next.ServeHTTP(tw, req)
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if json.Unmarshal(tw.buf.Bytes(), &tok) == nil && tok.AccessToken != "" {
			r.mu.Lock()
			r.tokens = append(r.tokens, tok.AccessToken)
			r.mu.Unlock()
		}
		return
	}
	r.mu.Lock()
	r.arrivals = append(r.arrivals, time.Now())
	var do func()
	if req.URL.Path == "/api/v2/logs" {
		r.searches++
		do = r.actions[r.searches]
		if q := req.URL.Query(); q.Has("from") || q.Has("take") {
			r.checkpoints++
		}
	}
	r.mu.Unlock()
	if do != nil {
		do()
	}
	r.next.ServeHTTP(w, req)
}

// searchRequests counts the log requests that were searches, not the tail's checkpoint reads.
func (r *recorder) searchRequests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.searches - r.checkpoints
}

// issued returns the access tokens the emulator has handed out so far.
func (r *recorder) issued() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.tokens...)
}

// tokenAsked is how many token requests have arrived, including ones still being answered.
func (r *recorder) tokenAsked() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tokenAsk
}

// apiArrivals returns the arrival times of every API (non-token) request.
func (r *recorder) apiArrivals() []time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Time(nil), r.arrivals...)
}

// teeWriter keeps a copy of what the token endpoint writes. Only the token endpoint is wrapped,
// so the log endpoints keep the connection hijacking the reset fault needs.
type teeWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

// bucketExcess checks arrivals against the token bucket the data source promises (burst
// min(10, rpm), refilled at rpm a minute): it returns the worst excess over any stretch of
// arrivals, allowing one request of slack for the time between the client taking its token and
// the request arriving. Zero or less means the budget held.
func bucketExcess(arrivals []time.Time, rpm int) float64 {
	burst := float64(min(10, rpm))
	perSecond := float64(rpm) / 60
	worst := -burst
	for i := range arrivals {
		for j := i; j < len(arrivals); j++ {
			allowed := burst + perSecond*arrivals[j].Sub(arrivals[i]).Seconds() + 1
			worst = max(worst, float64(j-i+1)-allowed)
		}
	}
	return worst
}

// maxInWindow is the largest number of arrivals within any window of length w.
func maxInWindow(arrivals []time.Time, w time.Duration) int {
	best, lo := 0, 0
	for hi := range arrivals {
		for arrivals[hi].Sub(arrivals[lo]) >= w {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// finishes runs f and, if it has not returned within limit, crashes the test binary with every
// goroutine's stack: a hang detector with a generous limit, not a performance assertion.
func finishes(limit time.Duration, what string, f func()) {
	timer := time.AfterFunc(limit, func() { panic(what + " did not return within " + limit.String()) })
	defer timer.Stop()
	f()
}
