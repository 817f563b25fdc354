package auth0

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// elsewhere is a second origin that counts what reaches it and remembers any credential sent.
type elsewhere struct {
	srv         *httptest.Server
	hits        atomic.Int64
	sawSecret   atomic.Bool
	sawBearer   atomic.Bool
	redirectsTo string
}

func newElsewhere(t *testing.T) *elsewhere {
	e := &elsewhere{}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.hits.Add(1)
		_ = r.ParseForm()
		if r.PostForm.Get("client_secret") != "" {
			e.sawSecret.Store(true)
		}
		if r.Header.Get("Authorization") != "" {
			e.sawBearer.Store(true)
		}
		writeJSON(w, 200, `{"access_token":"stolen","expires_in":86400,"token_type":"Bearer"}`)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

func TestTokenRequestFollowsNoRedirect(t *testing.T) {
	for _, status := range []int{301, 302, 307, 308} {
		other := newElsewhere(t)
		f := newFake(t, okEmpty)
		f.token = func(w http.ResponseWriter, r *http.Request) {
			// The echoed secret in the Location must not reach the message either.
			http.Redirect(w, r, other.srv.URL+"/oauth/token?client_secret="+url.QueryEscape(testSecret), status)
		}
		c, rec := newTestClient(t, f)
		_, err := c.SearchLogs(context.Background(), SearchParams{})
		require.Error(t, err, "status %d", status)
		assert.Zero(t, other.hits.Load(), "status %d: the token request went to the other origin", status)
		assert.False(t, other.sawSecret.Load())
		assert.Equal(t, int64(1), f.tokenHits.Load(), "status %d: one token request, no retry", status)
		assert.Zero(t, f.apiHits.Load())
		assert.Empty(t, rec.waits())
		assert.Contains(t, err.Error(), "redirected to "+other.srv.URL, "the message names where the redirect pointed")
		assert.NotContains(t, err.Error(), "client_secret", "only the scheme and host of the target are named")
		f.assertClean(t, err)
	}
}

func TestRedirectLoopCostsOneRequest(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	})
	f.token = func(w http.ResponseWriter, r *http.Request) {
		if f.tokenHits.Load() > 1 {
			http.Redirect(w, r, "/oauth/token", http.StatusTemporaryRedirect)
			return
		}
		f.issueToken(w, r)
	}
	c, _ := newTestClient(t, f)
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.Error(t, err)
	assert.Equal(t, int64(1), f.apiHits.Load(), "a same-origin API redirect loop")
	assert.Contains(t, err.Error(), "Management API at "+f.srv.URL+" answered 302")

	c.tokens.invalidate(0) // the next call fetches a token, and the token endpoint loops now
	_, err = c.SearchLogs(context.Background(), SearchParams{})
	require.Error(t, err)
	assert.Equal(t, int64(2), f.tokenHits.Load(), "a token redirect loop costs one request")
	assert.Equal(t, int64(1), f.apiHits.Load())
	assert.Contains(t, err.Error(), "token request at "+f.srv.URL+" answered 307")
}

func TestAPIRedirectToAnotherOriginCarriesNoToken(t *testing.T) {
	other := newElsewhere(t)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		http.Redirect(w, r, other.srv.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	})
	c, rec := newTestClient(t, f)
	_, err := c.SearchLogs(context.Background(), SearchParams{Q: "type:f"})
	require.Error(t, err)
	assert.Zero(t, other.hits.Load(), "the API request went to the other origin")
	assert.False(t, other.sawBearer.Load())
	assert.Equal(t, int64(1), f.apiHits.Load(), "not retried")
	assert.Empty(t, rec.waits())
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.True(t, e.Downstream)
	assert.Contains(t, err.Error(), "redirected to "+other.srv.URL)
	assert.Contains(t, err.Error(), "set the domain (or the API base URL)")
	f.assertClean(t, err)
}
