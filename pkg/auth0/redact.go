package auth0

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// redacted replaces a credential in every text the client hands out.
const redacted = "[redacted]"

// minRedactLen keeps very short values (which could not be secret anyway) from blanking out
// ordinary words.
const minRedactLen = 4

// redactor removes the client secret and the current access token from texts, in every spelling
// an upstream may echo them: raw, form- or query-encoded (with + or %20 for a space, upper- or
// lower-case hex), encoded twice, JSON-escaped, base64 in its four alphabets, and the basic-auth
// pair of client ID and secret.
type redactor struct {
	fixed []string // the secret's spellings, longest first

	mu     sync.Mutex
	token  string
	tokens []string
}

func newRedactor(clientID, secret string) *redactor {
	r := &redactor{fixed: spellings(secret)}
	if secret != "" {
		for _, s := range base64Spellings(clientID + ":" + secret) {
			r.fixed = append(r.fixed, s)
		}
		sortLongestFirst(r.fixed)
	}
	return r
}

// redact scrubs s of the secret and of token, the access token in use.
func (r *redactor) redact(s, token string) string {
	if s == "" {
		return s
	}
	for _, n := range r.fixed {
		s = strings.ReplaceAll(s, n, redacted)
	}
	for _, n := range r.tokenSpellings(token) {
		s = strings.ReplaceAll(s, n, redacted)
	}
	return s
}

func (r *redactor) tokenSpellings(token string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if token != r.token {
		r.token, r.tokens = token, spellings(token)
		// A JWT's signature is the part of the token that cannot be guessed from the claims,
		// and an upstream that quotes a token may cut it at the dots.
		if parts := strings.Split(token, "."); len(parts) == 3 && len(parts[2]) >= 16 {
			r.tokens = append(r.tokens, parts[2])
			sortLongestFirst(r.tokens)
		}
	}
	return r.tokens
}

var pctEscape = regexp.MustCompile(`%[0-9A-F]{2}`)

// spellings lists the forms of v that may appear in an echoed request or error page, longest
// first so that a longer form is replaced before a shorter one inside it.
func spellings(v string) []string {
	if len(v) < minRedactLen {
		return nil
	}
	set := map[string]struct{}{}
	add := func(s string) {
		if len(s) >= minRedactLen {
			set[s] = struct{}{}
		}
	}
	addPct := func(s string) {
		add(s)
		add(pctEscape.ReplaceAllStringFunc(s, strings.ToLower))
	}
	add(v)
	form := url.QueryEscape(v)
	addPct(form)
	addPct(strings.ReplaceAll(form, "+", "%20"))
	addPct(url.PathEscape(v))
	addPct(url.QueryEscape(form))
	add(jsonEscape(v, false))
	add(jsonEscape(v, true))
	add(asciiJSON(v, false))
	add(asciiJSON(v, true))
	for _, s := range base64Spellings(v) {
		add(s)
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sortLongestFirst(out)
	return out
}

func base64Spellings(v string) []string {
	b := []byte(v)
	return []string{
		base64.StdEncoding.EncodeToString(b), base64.URLEncoding.EncodeToString(b),
		base64.RawStdEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b),
	}
}

// jsonEscape is v as it appears inside a JSON string, with or without HTML escaping.
func jsonEscape(v string, html bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if enc.Encode(v) != nil {
		return v
	}
	s := strings.TrimSuffix(b.String(), "\n")
	return strings.TrimSuffix(strings.TrimPrefix(s, `"`), `"`)
}

// asciiJSON is v as encoders that escape every non-ASCII character write it (\u00e9).
func asciiJSON(v string, html bool) string {
	var b strings.Builder
	for _, r := range jsonEscape(v, html) {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xFFFF:
			hi, lo := utf16Pair(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func utf16Pair(r rune) (rune, rune) {
	r -= 0x10000
	return 0xD800 + (r>>10)&0x3FF, 0xDC00 + r&0x3FF
}

func sortLongestFirst(s []string) {
	sort.Slice(s, func(i, j int) bool { return len(s[i]) > len(s[j]) })
}

// scrub removes the secret and the current token from every text e carries.
func (c *Client) scrub(e *Error) *Error {
	tok := c.tokens.lastToken()
	e.Message = c.redact.redact(e.Message, tok)
	e.ErrorText = c.redact.redact(e.ErrorText, tok)
	e.ErrorCode = c.redact.redact(e.ErrorCode, tok)
	e.host = c.redact.redact(e.host, tok)
	e.redirectTo = c.redact.redact(e.redirectTo, tok)
	if e.cause != nil {
		e.cause = scrubbedCause{err: e.cause, text: c.redact.redact(e.cause.Error(), tok)}
	}
	return e
}

// scrubbedCause keeps a cause reachable for errors.Is and errors.As while its text, which a
// caller may print with %v, is the scrubbed one.
type scrubbedCause struct {
	err  error
	text string
}

func (s scrubbedCause) Error() string { return s.text }
func (s scrubbedCause) Unwrap() error { return s.err }

// scrubText is scrub for a text that is not yet an *Error, such as a body about to be quoted.
func (c *Client) scrubText(s string) string { return c.redact.redact(s, c.tokens.lastToken()) }
