package event_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
)

// benchPages are pages of 100 logs exactly as the emulator writes them (its encoder, its _id and
// millisecond dates, the generator's details and location_info), from the searches the anomaly
// dashboard makes most: everything, s, fu and fp, ten pages each.
var benchPages = sync.OnceValues(func() ([][]byte, error) {
	end := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	tn := tenant.Generate(tenant.Config{Seed: 11, End: end, Days: 3, EventsPerDay: 20000})
	const domain, id, secret = "bench.auth0logs.local", "bench-client", "bench-secret"
	srv := emulator.New(emulator.Options{Domain: domain, ClientID: id, ClientSecret: secret,
		Now: func() time.Time { return end }}, tn.Events)
	tok, err := benchToken(srv, domain, id, secret)
	if err != nil {
		return nil, err
	}
	var pages [][]byte
	for _, q := range []string{"", `type:"s"`, `type:"fu"`, `type:"fp"`} {
		for page := range 10 {
			v := url.Values{"q": {q}, "sort": {"date:-1"}, "per_page": {"100"}, "page": {strconv.Itoa(page)}}
			req := httptest.NewRequest(http.MethodGet, "/api/v2/logs?"+v.Encode(), nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				return nil, &pageError{q: q, code: rec.Code}
			}
			pages = append(pages, rec.Body.Bytes())
		}
	}
	return pages, nil
})

type pageError struct {
	q    string
	code int
}

func (e *pageError) Error() string {
	return "emulator answered " + strconv.Itoa(e.code) + " to q=" + e.q
}

func benchToken(srv *emulator.Server, domain, id, secret string) (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret},
		"audience": {"https://" + domain + "/api/v2/"}}
	req := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.AccessToken == "" {
		return "", &pageError{q: "token", code: rec.Code}
	}
	return body.AccessToken, nil
}

// BenchmarkDecodeList decodes one page of 100 logs per op. MB/s is the JSON read; events/s is
// what bounds a fetch once the API answers quickly (a local store, or a warm proxy).
func BenchmarkDecodeList(b *testing.B) {
	pages, err := benchPages()
	if err != nil {
		b.Fatal(err)
	}
	total := 0
	for _, p := range pages {
		total += len(p)
	}
	b.SetBytes(int64(total / len(pages)))
	b.ReportAllocs()
	events, i := 0, 0
	for b.Loop() {
		got, err := event.DecodeList(pages[i%len(pages)])
		if err != nil {
			b.Fatal(err)
		}
		events += len(got)
		i++
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(total)/float64(len(pages))/100, "bytes/event")
}

// BenchmarkDecodeListRetained reports what the decoded events of the 40 pages keep alive, per
// event: what the fetch cache pays for each event it holds.
func BenchmarkDecodeListRetained(b *testing.B) {
	pages, err := benchPages()
	if err != nil {
		b.Fatal(err)
	}
	var kept [][]event.Event
	var before, after runtime.MemStats
	events := 0
	for b.Loop() {
		kept, events = nil, 0
		runtime.GC()
		runtime.ReadMemStats(&before)
		for _, p := range pages {
			got, err := event.DecodeList(p)
			if err != nil {
				b.Fatal(err)
			}
			kept = append(kept, got)
			events += len(got)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	runtime.KeepAlive(kept)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(events), "retained-B/event")
}

// TestBenchPagesAreFullAndDecode keeps the benchmark honest: full pages, every event decoded.
func TestBenchPagesAreFullAndDecode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated tenant")
	}
	pages, err := benchPages()
	require.NoError(t, err)
	require.Len(t, pages, 40)
	for i, p := range pages {
		got, err := event.DecodeList(p)
		require.NoError(t, err, "page %d", i)
		require.Len(t, got, 100, "page %d", i)
		assert.NotEmpty(t, got[0].LogID, "page %d", i)
		assert.False(t, got[0].Date.IsZero(), "page %d", i)
		assert.NotEmpty(t, got[0].Type, "page %d", i)
	}
}
