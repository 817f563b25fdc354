package auth0

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// get sends one GET with the retry policy: a 401 drops the token once and retries at once; 429
// pauses the whole tenant until Auth0's reset; 5xx and transport failures back off; any other
// answer is final. At most maxRetries retries besides the 401 refresh.
func (c *Client) get(ctx context.Context, rawURL string) ([]byte, http.Header, error) {
	var last *Error
	refreshed := false
	for retry := 0; ; {
		if err := c.awaitTurn(ctx, last); err != nil {
			return nil, nil, err
		}
		body, hdr, gen, err := c.attempt(ctx, rawURL)
		if err == nil {
			return body, hdr, nil
		}
		var e *Error
		if !errors.As(err, &e) {
			return nil, nil, err // the caller's ctx ended
		}
		e.retries = retry
		if e.Status == http.StatusTooManyRequests {
			// Even when this call gives up, the tenant's other requests wait for the reset
			// rather than spend themselves on a certain 429.
			c.tenant.pause(c.pauseAfter429(e, retry), true)
		}
		switch {
		case e.op == opAPI && e.Status == http.StatusUnauthorized && !refreshed:
			refreshed = true
			c.tokens.invalidate(gen)
			c.stats.retries.Add(1)
			c.log.Debug("Auth0 rejected the token; fetching a new one and retrying once")
			continue
		case !retryable(e) || retry >= c.maxRetries:
			return nil, nil, e
		case e.Status == http.StatusTooManyRequests:
			last = e
		default:
			d := c.backoff(retry)
			c.log.Debug("Auth0 request failed; retrying", "status", e.Status, "retry", retry+1, "wait", d.String())
			if err := c.sleep(ctx, d); err != nil {
				return nil, nil, ctxError("waiting to retry an Auth0 request", ctx)
			}
		}
		retry++
		c.stats.retries.Add(1)
	}
}

// retryable is true for faults that may pass: a 429, Auth0's server errors, and transport
// failures other than a host name that does not exist or an address the guard refuses.
func retryable(e *Error) bool {
	switch {
	case e.op == opParams || e.op == opDecode:
		return false
	case e.Status == http.StatusTooManyRequests || e.Status >= 500:
		return true
	}
	return e.Status == 0 && !e.dns && !e.blocked
}

// attempt makes one request and returns the body of a 2xx answer, or an *Error for anything
// else, plus the token generation used so a 401 can drop exactly that token.
func (c *Client) attempt(ctx context.Context, rawURL string) ([]byte, http.Header, uint64, error) {
	tok, gen, err := c.tokens.token(ctx)
	if err != nil {
		return nil, nil, gen, c.tokenError(ctx, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, nil, gen, paramError("cannot build the Auth0 request: %v", err)
	}
	tok.SetAuthHeader(req)
	req.Header.Set("Accept", "application/json")
	c.stats.requests.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, gen, ctxError("calling the Auth0 Management API", ctx)
		}
		return nil, nil, gen, c.networkError(opAPI, rawURL, err)
	}
	defer func() { _ = resp.Body.Close() }()
	c.noteRateLimit(resp.Header)
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, gen, ctxError("reading an Auth0 response", ctx)
		}
		return nil, nil, gen, c.networkError(opAPI, rawURL, err)
	}
	if len(body) > maxBody {
		return nil, nil, gen, &Error{op: opDecode, Status: resp.StatusCode, Downstream: true,
			Message: "the server sent a response larger than 32 MiB, far more than a page of 100 logs: check that the domain (or API base URL) points at your Auth0 tenant"}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return body, resp.Header, gen, nil
	}
	return nil, nil, gen, c.apiError(resp, body, rawURL)
}

// apiError decodes Auth0's {statusCode, error, message, errorCode}. A body that is not Auth0's
// JSON (a proxy's HTML page, say) is quoted briefly, except on 404 where it means "no such tenant".
func (c *Client) apiError(resp *http.Response, body []byte, rawURL string) *Error {
	e := &Error{Status: resp.StatusCode, op: opAPI, Downstream: true, reset: parseRateLimit(resp.Header).Reset}
	if u, err := url.Parse(rawURL); err == nil {
		e.path = u.Path
	}
	if target := redirectTarget(resp); target != "" {
		e.host, e.redirectTo = hostOf(rawURL), target
		return c.scrub(e)
	}
	var b struct {
		Error     string `json:"error"`
		Message   string `json:"message"`
		ErrorCode string `json:"errorCode"`
	}
	if json.Unmarshal(body, &b) == nil {
		e.ErrorText, e.Message, e.ErrorCode = b.Error, b.Message, b.ErrorCode
	} else if resp.StatusCode != http.StatusNotFound {
		// Scrubbed before it is cut short, so a credential cut in half is not left showing.
		e.Message = snippet([]byte(c.scrubText(string(body))))
	}
	switch {
	case e.Status == http.StatusTooManyRequests:
		c.stats.rateLimited.Add(1)
	case e.Status >= 500:
		c.stats.serverErrors.Add(1)
	}
	return c.scrub(e)
}

// snippet keeps the start of a non-JSON body on one line.
func snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// redirectTarget is the scheme and host a 3xx answer points at, or "" for any other answer.
// Only those two are kept: the path and query of an echoed Location may carry a credential.
func redirectTarget(resp *http.Response) string {
	if resp.StatusCode < 300 || resp.StatusCode > 399 {
		return ""
	}
	loc, err := resp.Location()
	if err != nil || loc.Host == "" {
		return "an address it did not give (no usable Location header)"
	}
	return loc.Scheme + "://" + loc.Host
}

// hostOf is the scheme and host of rawURL, for naming the server that answered.
func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	return u.Scheme + "://" + u.Host
}
