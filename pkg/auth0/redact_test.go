package auth0

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oddSecret has every character that encodes differently in a form, a query, JSON and base64.
const oddSecret = `Zq+/=&% é"x9-Odd-SECRET`

// encodings are the spellings of v an upstream may echo, written out here independently of the
// redactor under test.
func encodings(v string) map[string]string {
	form := url.QueryEscape(v)
	js, _ := json.Marshal(v)
	return map[string]string{
		"raw":             v,
		"form (+)":        form,
		"query (%20)":     strings.ReplaceAll(form, "+", "%20"),
		"lower-case hex":  lowerHex(form),
		"json":            strings.Trim(string(js), `"`),
		"json \\u00e9":    strings.ReplaceAll(strings.Trim(string(js), `"`), "é", `\u00e9`),
		"base64 std":      base64.StdEncoding.EncodeToString([]byte(v)),
		"base64 url":      base64.URLEncoding.EncodeToString([]byte(v)),
		"base64 raw url":  base64.RawURLEncoding.EncodeToString([]byte(v)),
		"twice url-coded": url.QueryEscape(form),
	}
}

// lowerHex writes the hex digits of every %XX escape in lower case, as some encoders do.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lower(b[i+1]), lower(b[i+2])
		}
	}
	return string(b)
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// echoAll is a body quoting v in every spelling, each on its own line.
func echoAll(v string) string {
	var b strings.Builder
	for name, s := range encodings(v) {
		b.WriteString(name + ": " + s + "\n")
	}
	return b.String()
}

func assertNoSpelling(t *testing.T, text, v string) {
	t.Helper()
	for name, s := range encodings(v) {
		assert.NotContains(t, text, s, "the %s spelling leaked", name)
	}
}

func TestEveryEncodingOfTheSecretIsScrubbed(t *testing.T) {
	secret := func(cfg *Config) { cfg.ClientSecret = oddSecret }

	t.Run("token endpoint echoes the form in a 400", func(t *testing.T) {
		f := newFake(t, okEmpty)
		f.token = func(w http.ResponseWriter, r *http.Request) {
			raw, _ := io.ReadAll(r.Body)
			desc, _ := json.Marshal("cannot parse " + string(raw) + "\n" + echoAll(oddSecret))
			writeJSON(w, 400, `{"error":"invalid_request","error_description":`+string(desc)+`}`)
		}
		c, _ := newTestClient(t, f, secret)
		err := c.Token(context.Background())
		require.Error(t, err)
		assertNoSpelling(t, err.Error(), oddSecret)
		assert.Contains(t, err.Error(), "[redacted]")
		assert.Contains(t, err.Error(), "cannot parse", "the rest of the message is kept")
	})

	t.Run("API echoes the secret and the token in a 400 page", func(t *testing.T) {
		var token string
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
			token = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(400)
			_, _ = io.WriteString(w, echoAll(oddSecret)+echoAll(token))
		})
		f.token = func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"access_token":"tok+/= é&%-AAAA","expires_in":86400,"token_type":"Bearer"}`)
		}
		c, _ := newTestClient(t, f, secret)
		_, err := c.SearchLogs(context.Background(), SearchParams{})
		require.Error(t, err)
		require.NotEmpty(t, token)
		assertNoSpelling(t, err.Error(), oddSecret)
		assertNoSpelling(t, err.Error(), token)
	})

	t.Run("a redirect whose Location carries the secret", func(t *testing.T) {
		f := newFake(t, okEmpty)
		f.token = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "https://"+base64.RawURLEncoding.EncodeToString([]byte(oddSecret))+".example/?s="+url.QueryEscape(oddSecret))
			w.WriteHeader(http.StatusTemporaryRedirect)
		}
		c, _ := newTestClient(t, f, secret)
		err := c.Token(context.Background())
		require.Error(t, err)
		assertNoSpelling(t, err.Error(), oddSecret)
		assert.Contains(t, err.Error(), "redirected to https://[redacted].example")
	})
}

func TestJWTSignatureAloneIsScrubbed(t *testing.T) {
	const sig = "c2lnbmF0dXJlLW9mLXRoZS10b2tlbi0xMjM0NTY"
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		writeJSON(w, 400, `{"statusCode":400,"error":"Bad Request","message":"bad signature `+sig+`"}`)
	})
	f.token = func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"access_token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaWQifQ.`+sig+`","expires_in":86400,"token_type":"Bearer"}`)
	}
	c, _ := newTestClient(t, f)
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), sig)
	assert.Contains(t, err.Error(), "bad signature [redacted]")
}

func TestScrubbedQuoteKeepsNoHalfSecret(t *testing.T) {
	// A 190-character preamble puts the secret across the 200-character cut of a quoted page.
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		w.WriteHeader(502)
		_, _ = io.WriteString(w, strings.Repeat("x", 190)+testSecret)
	})
	c, _ := newTestClient(t, f, func(cfg *Config) { cfg.MaxRetries = -1 })
	_, err := c.SearchLogs(context.Background(), SearchParams{})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testSecret[:8])
}
