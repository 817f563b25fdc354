package tenant

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
)

// arenaChunk is how much details text is allocated at a time. Details of many events share one
// chunk, which keeps half a million events from costing half a million allocations.
const (
	arenaChunk   = 1 << 20
	maxDetailLen = 4096
)

// details runs build on the shared arena and returns what it wrote, capped so that an append by
// a caller can never write into a neighbour's bytes.
func (g *gen) details(build func(b []byte) []byte) json.RawMessage {
	if cap(g.arena)-len(g.arena) < maxDetailLen {
		g.arena = make([]byte, 0, arenaChunk)
	}
	start := len(g.arena)
	g.arena = build(g.arena)
	n := len(g.arena)
	return json.RawMessage(g.arena[start:n:n])
}

// shared returns fixed details text; events with identical details share the bytes.
func shared(s string) json.RawMessage {
	b := []byte(s)
	return json.RawMessage(b[:len(b):len(b)])
}

var (
	detailsWrongCreds   = shared(`{"error":{"message":"Wrong email or password."}}`)
	detailsMissingUser  = shared(`{"error":{"message":"missing username parameter"}}`)
	detailsLoginReq     = shared(`{"error":{"message":"Login required","oauthError":"login_required","type":"oauth-authorization"}}`)
	detailsOTP          = shared(`{"authenticator":{"type":"otp"}}`)
	detailsSMS          = shared(`{"authenticator":{"type":"sms"}}`)
	detailsPasswordUsed = shared(`{"error":{"message":"Password has previously been used"}}`)
	detailsNoGrant      = shared(`{"error":{"message":"Client has no grant for the requested audience","oauthError":"access_denied"}}`)
	detailsBadCode      = shared(`{"error":{"message":"Invalid authorization code","oauthError":"invalid_grant"}}`)
)

// appendStr appends s as a JSON string. The generator's own strings are plain text, but escaping
// properly costs little and keeps the output valid whatever the tables hold.
func appendStr(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, `\u00`...)
			b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

func appendKey(b []byte, key string) []byte {
	if b[len(b)-1] != '{' && b[len(b)-1] != '[' {
		b = append(b, ',')
	}
	b = appendStr(b, key)
	return append(b, ':')
}

func appendKV(b []byte, key, val string) []byte { return appendStr(appendKey(b, key), val) }

func appendKN(b []byte, key string, n int64) []byte {
	return strconv.AppendInt(appendKey(b, key), n, 10)
}

func appendRand(b []byte, r *rand.Rand, n int, alphabet string) []byte {
	for range n {
		b = append(b, alphabet[r.IntN(len(alphabet))])
	}
	return b
}

const sessionChars = alnumChars + "-_"

// loginDetails is the shape of a successful login's details: the prompts the user went through,
// timings, the session and the user's running login count.
func (g *gen) loginDetails(u *user, dateMs int64) json.RawMessage {
	u.logins++
	took := int64(800 + g.r.IntN(25_000))
	return g.details(func(b []byte) []byte {
		b = append(b, `{"prompts":[{"name":"login","flow":"universal-login"`...)
		b = appendKN(b, "initiatedAt", dateMs-took)
		b = appendKN(b, "completedAt", dateMs-40)
		b = appendKV(b, "user_id", u.ID)
		b = appendKV(b, "user_name", u.Email)
		b = appendKN(b, "elapsedTime", took-40)
		b = append(b, "}]"...)
		b = appendKN(b, "initiatedAt", dateMs-took)
		b = appendKN(b, "completedAt", dateMs)
		b = appendKN(b, "elapsedTime", took)
		b = append(appendKey(b, "session_id"), '"')
		b = append(appendRand(b, g.r, 32, sessionChars), '"')
		b = append(b, `,"stats":{"loginsCount":`...)
		b = strconv.AppendInt(b, int64(u.logins), 10)
		return append(b, "}}"...)
	})
}

// sessionDetails is what silent authentication records: just the session it renewed.
func (g *gen) sessionDetails() json.RawMessage {
	return g.details(func(b []byte) []byte {
		b = append(b, `{"session_id":"`...)
		b = appendRand(b, g.r, 32, sessionChars)
		return append(b, `"}`...)
	})
}

// codeDetails shows the authorization code masked, as Auth0 does, with its last characters.
func (g *gen) codeDetails() json.RawMessage {
	return g.details(func(b []byte) []byte {
		b = append(b, `{"code":"*************************************`...)
		b = appendRand(b, g.r, 3, alnumChars)
		return append(b, `"}`...)
	})
}

// kv builds a flat object of string values: pairs is key, value, key, value...
func (g *gen) kv(pairs ...string) json.RawMessage {
	return g.details(func(b []byte) []byte {
		b = append(b, '{')
		for i := 0; i+1 < len(pairs); i += 2 {
			b = appendKV(b, pairs[i], pairs[i+1])
		}
		return append(b, '}')
	})
}

// signupDetails echoes the signup request body with the password masked, like the recordings.
func (g *gen) signupDetails(u *user, clientID string) json.RawMessage {
	return g.details(func(b []byte) []byte {
		b = append(b, `{"body":{`...)
		b = appendKV(b, "client_id", clientID)
		b = appendKV(b, "connection", g.pop.conns[u.conn].name)
		b = appendKV(b, "email", u.Email)
		b = appendKV(b, "password", "*****")
		b = appendKV(b, "tenant", g.cfg.Domain)
		return append(b, "}}"...)
	})
}

// blockDetails describes an attack-protection block: the IP and how many attempts caused it.
func (g *gen) blockDetails(ip string, attempts, accounts int) json.RawMessage {
	return g.details(func(b []byte) []byte {
		b = append(b, '{')
		b = appendKV(b, "ip", ip)
		b = appendKN(b, "failed_attempts", int64(attempts))
		if accounts > 0 {
			b = appendKN(b, "accounts", int64(accounts))
		}
		return append(b, '}')
	})
}
