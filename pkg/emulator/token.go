package emulator

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// grant is what the server remembers about an issued token.
type grant struct {
	expires time.Time
	expired bool // set by the ExpireTokens fault
	scopes  []string
}

// tokenStore holds issued tokens; tokens are opaque to clients, so looking them up is the check.
type tokenStore struct {
	mu sync.Mutex
	m  map[string]*grant
}

func (ts *tokenStore) put(tok string, g *grant, now time.Time) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.m == nil {
		ts.m = map[string]*grant{}
	}
	if len(ts.m) >= 10000 { // a long demo run must not grow without bound
		for k, old := range ts.m {
			if old.expired || !now.Before(old.expires) {
				delete(ts.m, k)
			}
		}
	}
	ts.m[tok] = g
}

func (ts *tokenStore) lookup(tok string) (grant, bool) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	g, ok := ts.m[tok]
	if !ok {
		return grant{}, false
	}
	return *g, true
}

func (ts *tokenStore) expireAll() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, g := range ts.m {
		g.expired = true
	}
}

// tokenRequest is the client-credentials request, read from a form or a JSON body.
type tokenRequest struct {
	GrantType    string `json:"grant_type"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	Audience     string `json:"audience"`
}

func readTokenRequest(w http.ResponseWriter, r *http.Request) (tokenRequest, bool) {
	var req tokenRequest
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
			return req, false
		}
	} else {
		if err := r.ParseForm(); err != nil {
			return req, false
		}
		req = tokenRequest{GrantType: r.PostForm.Get("grant_type"), ClientID: r.PostForm.Get("client_id"),
			ClientSecret: r.PostForm.Get("client_secret"), Audience: r.PostForm.Get("audience")}
	}
	// client_secret_basic, which golang.org/x/oauth2 tries first.
	if id, secret, ok := r.BasicAuth(); ok {
		req.ClientID, req.ClientSecret = id, secret
	}
	return req, true
}

// handleToken is POST /oauth/token for the client-credentials grant.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	req, ok := readTokenRequest(w, r)
	switch {
	case !ok:
		writeJSON(w, 400, tokenError{"invalid_request", "The request body could not be parsed"})
	case req.GrantType != "client_credentials":
		writeJSON(w, 400, tokenError{"unsupported_grant_type", "Unsupported grant type: " + req.GrantType})
	case s.PendingFaults().RevokeSecret || !s.validClient(req.ClientID, req.ClientSecret):
		writeJSON(w, 401, tokenError{"access_denied", "Unauthorized"})
	case req.Audience == "":
		writeJSON(w, 403, tokenError{"access_denied",
			"No audience parameter was provided, and no default audience has been configured"})
	case req.Audience != s.opts.audience():
		writeJSON(w, 403, tokenError{"access_denied", "Service not enabled within domain: " + req.Audience})
	default:
		s.issueToken(w)
	}
}

func (s *Server) validClient(id, secret string) bool {
	idOK := subtle.ConstantTimeCompare([]byte(id), []byte(s.opts.ClientID)) == 1
	secretOK := subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) == 1
	return idOK && secretOK && id != ""
}

func (s *Server) issueToken(w http.ResponseWriter) {
	now := s.opts.Now()
	scope := strings.Join(s.opts.Scopes, " ")
	tok := s.mintToken(now, scope)
	s.tokens.put(tok, &grant{expires: now.Add(s.opts.TokenTTL), scopes: slices.Clone(s.opts.Scopes)}, now)
	s.count(func(st *Stats) { st.TokensIssued++ })
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, 200, map[string]any{
		"access_token": tok,
		"expires_in":   int64(s.opts.TokenTTL / time.Second),
		"scope":        scope,
		"token_type":   "Bearer",
	})
}

// mintToken makes a JWT-shaped token like Auth0's, so a client that peeks at exp sees real values.
// The signature is random: the server checks tokens by lookup, never by verifying them.
func (s *Server) mintToken(now time.Time, scope string) string {
	enc := base64.RawURLEncoding
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT"})
	claims, _ := json.Marshal(map[string]any{
		"iss":   "https://" + s.opts.Domain + "/",
		"sub":   s.opts.ClientID + "@clients",
		"aud":   s.opts.audience(),
		"iat":   now.Unix(),
		"exp":   now.Add(s.opts.TokenTTL).Unix(),
		"scope": scope,
		"gty":   "client-credentials",
		"jti":   randomString(12),
	})
	return enc.EncodeToString(header) + "." + enc.EncodeToString(claims) + "." + randomString(32)
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// authorize checks the bearer token of an API request the way the Management API does.
func (s *Server) authorize(r *http.Request) *apiError {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return errInvalidToken()
	}
	g, ok := s.tokens.lookup(strings.TrimSpace(tok))
	if !ok {
		return errInvalidToken()
	}
	if g.expired || !s.opts.Now().Before(g.expires) {
		return errExpiredToken()
	}
	if !slices.Contains(g.scopes, "read:logs") && !slices.Contains(g.scopes, "read:logs_users") {
		return errInsufficientScope()
	}
	return nil
}
