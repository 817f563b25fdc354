package auth0

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// tokenEarlyExpiry renews a token this long before Auth0 says it expires, so a request never
// leaves with a token that dies on the way.
const tokenEarlyExpiry = time.Minute

// tokenCache holds the client-credentials token. Fetches run on a background context carrying
// the configured HTTP client, so a panel whose request is cancelled never breaks the fetch that
// other panels are waiting for. The cached source is replaced, not patched, when Auth0 rejects
// its token; gen tells a stale rejection from a current one.
type tokenCache struct {
	newSource func() oauth2.TokenSource
	latest    atomic.Pointer[string] // the last access token fetched, for scrubbing messages
	// stop cancels the background context of every fetch, so Close ends one still in flight
	// instead of leaving it to run until the HTTP timeout.
	stop context.CancelFunc

	mu  sync.Mutex
	src oauth2.TokenSource
	gen uint64
}

func newTokenCache(tokenURL, audience, clientID, secret string, hc *http.Client, fetches *atomic.Int64) *tokenCache {
	cc := &clientcredentials.Config{
		ClientID:       clientID,
		ClientSecret:   secret,
		TokenURL:       tokenURL,
		EndpointParams: url.Values{"audience": {audience}},
		AuthStyle:      oauth2.AuthStyleInParams,
	}
	tokenHTTP := *hc
	if tokenHTTP.Timeout == 0 {
		tokenHTTP.Timeout = DefaultTimeout
	}
	base, stop := context.WithCancel(context.Background())
	bg := context.WithValue(base, oauth2.HTTPClient, &tokenHTTP)
	tc := &tokenCache{stop: stop}
	fetch := fetcher{cfg: cc, ctx: bg, count: fetches, latest: &tc.latest}
	tc.newSource = func() oauth2.TokenSource {
		return oauth2.ReuseTokenSourceWithExpiry(nil, fetch, tokenEarlyExpiry)
	}
	tc.src = tc.newSource()
	return tc
}

// fetcher asks Auth0 for a fresh token on every call; ReuseTokenSource decides when to call it.
type fetcher struct {
	cfg    *clientcredentials.Config
	ctx    context.Context
	count  *atomic.Int64
	latest *atomic.Pointer[string]
}

func (f fetcher) Token() (*oauth2.Token, error) {
	f.count.Add(1)
	tok, err := f.cfg.Token(f.ctx)
	if err == nil {
		f.latest.Store(&tok.AccessToken)
	}
	return tok, err
}

// token returns a valid token and the generation it belongs to. A cancelled ctx returns at once;
// a fetch already under way carries on for the other callers.
func (t *tokenCache) token(ctx context.Context) (*oauth2.Token, uint64, error) {
	t.mu.Lock()
	src, gen := t.src, t.gen
	t.mu.Unlock()
	type result struct {
		tok *oauth2.Token
		err error
	}
	done := make(chan result, 1)
	go func() {
		tok, err := src.Token()
		done <- result{tok, err}
	}()
	select {
	case r := <-done:
		return r.tok, gen, r.err
	case <-ctx.Done():
		return nil, gen, ctx.Err()
	}
}

// invalidate drops the cached token if it is still the one of generation gen, so twenty requests
// rejected together cause one new fetch, not twenty.
func (t *tokenCache) invalidate(gen uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen == gen {
		t.gen++
		t.src = t.newSource()
	}
}

// lastToken is the most recent access token, or "" before the first fetch.
func (t *tokenCache) lastToken() string {
	if p := t.latest.Load(); p != nil {
		return *p
	}
	return ""
}

// Token fetches a token now, or confirms the cached one is still valid. The health check calls it
// to tell bad credentials from a bad query.
func (c *Client) Token(ctx context.Context) error {
	_, _, err := c.tokens.token(ctx)
	if err != nil {
		return c.tokenError(ctx, err)
	}
	return nil
}

// tokenError turns what the oauth2 package returned into an *Error with Auth0's reason, or a
// wrapped ctx error when the caller gave up.
func (c *Client) tokenError(ctx context.Context, err error) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return ctxError("fetching an Auth0 token", ctx)
	}
	var re *oauth2.RetrieveError
	var ue *url.Error
	switch {
	case errors.As(err, &re):
	case errors.As(err, &ue):
		return c.networkError(opToken, c.base+"/oauth/token", err)
	default:
		// An answer came but held no token: something other than Auth0 is at that address.
		return c.scrub(&Error{op: opDecode, path: "/oauth/token", Downstream: true, cause: err,
			Message: "the token endpoint " + c.base + "/oauth/token gave no usable token (" + err.Error() +
				"): check the domain and the API base URL"})
	}
	e := &Error{op: opToken, path: "/oauth/token", Downstream: true}
	if re.Response != nil {
		e.Status = re.Response.StatusCode
		e.reset = parseRateLimit(re.Response.Header).Reset
		if target := redirectTarget(re.Response); target != "" {
			e.host, e.redirectTo = hostOf(c.base), target
			return c.scrub(e)
		}
	}
	var body struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Message     string `json:"message"`
		ErrorCode   string `json:"errorCode"`
	}
	if json.Unmarshal(re.Body, &body) == nil {
		e.ErrorText, e.ErrorCode = body.Error, body.ErrorCode
		e.Message = firstNonEmpty(body.Description, body.Message)
	}
	if e.ErrorText == "" {
		e.ErrorText = re.ErrorCode
	}
	if e.Message == "" {
		e.Message = re.ErrorDescription
	}
	if e.Status == http.StatusTooManyRequests {
		c.stats.rateLimited.Add(1)
	}
	return c.scrub(e)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
