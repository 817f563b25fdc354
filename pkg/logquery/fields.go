package logquery

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// fieldAliases maps names people reach for to the searchable field that holds that data, with
// the reason when it is not obvious.
var fieldAliases = map[string][2]string{
	"user_email": {"user_name", "Auth0 keeps e-mail addresses in user_name"},
	"email":      {"user_name", "Auth0 keeps e-mail addresses in user_name"},
	"mail":       {"user_name", "Auth0 keeps e-mail addresses in user_name"},
	"username":   {"user_name", ""},
	"name":       {"user_name", ""},
	"user":       {"user_name", "user_id holds the id, user_name the login name or e-mail"},
	"userid":     {"user_id", ""},
	"client":     {"client_name", "use client_id for the application's id"},
	"application": {"client_name",
		"use client_id for the application's id"},
	"app":             {"client_name", "use client_id for the application's id"},
	"event":           {"type", "the event code lives in type, e.g. type:\"fp\""},
	"event_type":      {"type", "the event code lives in type, e.g. type:\"fp\""},
	"log_type":        {"type", "the event code lives in type, e.g. type:\"fp\""},
	"code":            {"type", "the event code lives in type, e.g. type:\"fp\""},
	"ip_address":      {"ip", ""},
	"client_ip":       {"ip", ""},
	"host":            {"hostname", ""},
	"useragent":       {"user_agent", ""},
	"agent":           {"user_agent", ""},
	"id":              {"log_id", ""},
	"_id":             {"log_id", ""},
	"timestamp":       {"date", "ranges look like date:[2018-12-18 TO *]"},
	"time":            {"date", "ranges look like date:[2018-12-18 TO *]"},
	"created_at":      {"date", "ranges look like date:[2018-12-18 TO *]"},
	"org":             {"organization_id", ""},
	"organization":    {"organization_id", ""},
	"connection_name": {"connection", ""},
	"desc":            {"description", ""},
	"message":         {"description", ""},
}

// unsearchable are event fields Auth0 returns but does not index for search, with what to
// filter on instead.
var unsearchable = map[string]string{
	"details":           "type or description",
	"isMobile":          "user_agent",
	"audience":          "client_id or client_name",
	"scope":             "type or client_id",
	"location_info":     "ip",
	"organization_name": "organization_id",
}

// pathExamples show a path inside each object a path may start at.
var pathExamples = map[string]string{
	"details":          "details.request.path",
	"security_context": "security_context.ja4",
	"location_info":    "location_info.country_code",
	"auth0_client":     "auth0_client.name",
}

// checkField returns nil for a searchable field name, and for a field path when paths are
// accepted, and otherwise a problem that names the field the user most likely meant.
func checkField(name string, paths bool) *problem {
	if slices.Contains(event.SearchableFields, name) {
		return nil
	}
	if paths && event.IsPath(name) {
		return nil
	}
	list := "Searchable fields: " + strings.Join(event.SearchableFields, ", ")
	if paths && event.PathRoot(name) {
		return &problem{fmt.Sprintf("field %q is an object", name),
			fmt.Sprintf("name a value inside it, e.g. %s", pathExamples[name])}
	}
	if name == "_exists_" {
		return &problem{"_exists_ queries are not supported by Auth0 log search",
			"Auth0 cannot test whether a field is present; leave the condition out"}
	}
	root, _, nested := strings.Cut(name, ".")
	if instead, ok := unsearchable[root]; ok && !paths {
		return &problem{fmt.Sprintf("field %q is not searchable", name),
			fmt.Sprintf("Auth0 does not index %s for log search; filter on %s instead. %s", root, instead, list)}
	}
	if nested && slices.Contains(event.SearchableFields, root) {
		hint := fmt.Sprintf("log fields have no sub-fields (not even .raw) and already match whole values: use %q. %s", root, list)
		if paths {
			hint = fmt.Sprintf("the only sub-fields the plugin derives are %s and %s; otherwise use %q", event.EmailDomain, event.UserAgentFamily, root)
		}
		return &problem{fmt.Sprintf("unknown field %q", name), hint}
	}
	if paths && nested {
		return &problem{fmt.Sprintf("unknown field %q", name),
			fmt.Sprintf("a path starts at details, security_context, location_info or auth0_client, e.g. %s. %s", pathExamples["details"], list)}
	}
	for _, f := range event.SearchableFields {
		if strings.EqualFold(f, name) {
			return &problem{fmt.Sprintf("unknown field %q", name),
				fmt.Sprintf("field names are case-sensitive: use %q. %s", f, list)}
		}
	}
	msg := fmt.Sprintf("unknown field %q", name)
	if alias, ok := fieldAliases[strings.ToLower(name)]; ok {
		hint := fmt.Sprintf("did you mean %q?", alias[0])
		if alias[1] != "" {
			hint += " (" + alias[1] + ")"
		}
		return &problem{msg, hint + ". " + list}
	}
	if best := closest(name); best != "" {
		return &problem{msg, fmt.Sprintf("did you mean %q? %s", best, list)}
	}
	return &problem{msg, list}
}

// closest is the searchable field within a small edit distance of name, or "".
func closest(name string) string {
	best, bestDist := "", 4
	lower := strings.ToLower(name)
	for _, f := range event.SearchableFields {
		if d := editDistance(lower, f); d < bestDist {
			best, bestDist = f, d
		}
	}
	if bestDist > len(name)/2 {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
