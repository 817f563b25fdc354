package tenant

import (
	"encoding/json"
	"strings"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// sapiOp is one Management API write an admin script or the API explorer performs.
type sapiOp struct {
	desc, method, path string // path may hold {user}
	scopes             []string
	status             int
	weight             float64
}

var sapiOps = []sapiOp{
	{"Update a User", "patch", "/api/v2/users/{user}", []string{"update:users", "update:users_app_metadata"}, 200, 45},
	{"Create a User", "post", "/api/v2/users", []string{"create:users"}, 201, 15},
	{"Delete a User", "delete", "/api/v2/users/{user}", []string{"delete:users"}, 204, 5},
	{"Assign roles to a user", "post", "/api/v2/users/{user}/roles", []string{"update:users", "create:role_members"}, 204, 20},
	{"Send an email address verification email", "post", "/api/v2/jobs/verification-email", []string{"update:users"}, 201, 15},
}

var sapiPicker = func() picker {
	w := make([]float64, len(sapiOps))
	for i, op := range sapiOps {
		w[i] = op.weight
	}
	return newPicker(w)
}()

// depnotes are the deprecation notices a tenant of this shape would receive.
var depnotes = []struct{ desc, feature string }{
	{"Rules and Hooks are deprecated: migrate them to Actions", "rules"},
	{"A client used the legacy /oauth/ro endpoint, which is deprecated", "legacy_ro"},
	{"A request used an ID token as the Management API credential, which is deprecated", "id_token_mgmt"},
}

// fillMachine writes events of the tenant's own backend: M2M tokens, Management API writes and
// the notices Auth0 sends about the tenant itself.
func (g *gen) fillMachine(e *event.Event, k kind) {
	mgmtAudience := "https://" + g.cfg.Domain + "/api/v2/"
	ep := g.pop.backend[g.r.IntN(len(g.pop.backend))]
	client := clientM2M
	switch k {
	case kSeccft:
		switch n := g.r.IntN(100); {
		case n < 80:
			e.Audience, e.Scope = apiAudience, "read:orders read:reports"
		case n < 92:
			e.Audience, e.Scope = mgmtAudience, "read:users read:logs"
		default:
			client = clientMgmt
			e.Audience, e.Scope = mgmtAudience, "read:users update:users create:users delete:users read:clients create:role_members"
		}
	case kFeccft:
		e.Audience, e.Description, e.Details = mgmtAudience, descUnauthorized, detailsNoGrant
	case kSapi:
		client = clientMgmt
		e.Hostname = ""
		e.Details = g.sapiDetails(ep.ip, &sapiOps[sapiPicker.pick(g.r)], e)
	case kAPILimitWarning:
		e.Description = "Management API rate limit is about to be reached"
		e.Details = g.details(func(b []byte) []byte {
			b = append(b, `{"bucket":"management_api","limit":50`...)
			b = appendKN(b, "remaining", int64(1+g.r.IntN(5)))
			return append(b, '}')
		})
	case kDepnote:
		n := depnotes[g.r.IntN(len(depnotes))]
		e.Hostname, e.Description = "", n.desc
		e.Details = g.kv("feature", n.feature, "docs", "https://auth0.com/docs/troubleshoot/product-lifecycle/deprecations-and-migrations")
		return // a notice about the tenant: no client, IP or agent
	}
	g.withEndpoint(e, ep, agent{ua: serverAgent}, client)
}

// sapiDetails records the request and response like the recorded sapi logs, with the scopes
// trimmed to those the call needed.
func (g *gen) sapiDetails(ip string, op *sapiOp, e *event.Event) json.RawMessage {
	e.Description = op.desc
	u := g.pop.pickUser(g.r, poolAll)
	escaped := strings.ReplaceAll(u.ID, "|", "%7C")
	newEmail := ""
	if op.desc == "Create a User" {
		newEmail = g.fakeEmail(g.r)
	}
	return g.details(func(b []byte) []byte {
		b = append(b, `{"request":{"auth":{"credentials":{"scopes":[`...)
		for i, s := range op.scopes {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendStr(b, s)
		}
		b = append(b, `]},"strategy":"jwt","user":{}},"body":`...)
		b = g.appendSapiBody(b, op, u, newEmail)
		b = appendKV(b, "channel", "api")
		b = appendKV(b, "ip", ip)
		b = appendKV(b, "method", op.method)
		b = appendKV(b, "path", strings.Replace(op.path, "{user}", escaped, 1))
		b = append(b, `,"query":{},"userAgent":"node-auth0/4.10.0"},"response":{"body":`...)
		switch {
		case op.status == 204:
			b = append(b, "{}"...)
		case newEmail != "":
			b = appendKV(append(b, '{'), "email", newEmail)
			b = append(appendKV(b, "user_id", "auth0|"+hex(g.r, 24)), '}')
		case op.method == "patch":
			b = appendKV(appendKV(append(b, '{'), "email", u.Email), "user_id", u.ID)
			b = append(b, '}')
		default:
			b = appendKV(appendKV(append(b, '{'), "status", "pending"), "type", "verification_email")
			b = append(b, '}')
		}
		return append(appendKN(b, "statusCode", int64(op.status)), "}}"...)
	})
}

func (g *gen) appendSapiBody(b []byte, op *sapiOp, u *user, newEmail string) []byte {
	switch {
	case op.method == "delete":
		return append(b, "null"...)
	case newEmail != "":
		b = appendKV(append(b, '{'), "connection", g.pop.conns[connDatabase].name)
		b = appendKV(b, "email", newEmail)
		return append(appendKV(b, "password", "*****"), '}')
	case op.method == "patch":
		if g.r.IntN(10) == 0 {
			return append(b, `{"blocked":true}`...)
		}
		return append(b, `{"app_metadata":{"plan":"pro"}}`...)
	case strings.HasSuffix(op.path, "/roles"):
		b = append(b, `{"roles":["rol_`...)
		return append(appendRand(b, g.r, 16, alnumChars), `"]}`...)
	}
	return append(appendKV(append(b, '{'), "user_id", u.ID), '}')
}
