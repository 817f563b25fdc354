package event

import (
	"regexp"
	"strconv"
	"strings"

	useragent "github.com/medama-io/go-useragent"
	"github.com/tidwall/gjson"
)

// Field paths name what Auth0's log search cannot reach: a value inside details, security_context,
// location_info or auth0_client, a top-level field Auth0 returns but does not index, or a value
// the plugin derives from a searchable field. Queries filter and group on them; the plugin, not
// Auth0, reads them from each event.

// pathRoots are the objects whose insides a path may name.
var pathRoots = map[string]bool{"details": true, "security_context": true, "location_info": true, "auth0_client": true}

// plainPaths are top-level fields Auth0 returns but does not index for search.
var plainPaths = map[string]bool{"audience": true, "scope": true, "isMobile": true, "organization_name": true}

// Derived paths: values the plugin computes from a searchable field.
const (
	// EmailDomain is the lower-cased part of user_name after its last "@".
	EmailDomain = "user_name.domain"
	// UserAgentFamily is the browser or client family of user_agent ("Chrome", "curl", ...).
	UserAgentFamily = "user_agent.family"
)

// IsPath reports whether name is a field path: a value Auth0's search does not index, which the
// plugin reads from each event itself.
func IsPath(name string) bool {
	if plainPaths[name] || name == EmailDomain || name == UserAgentFamily {
		return true
	}
	root, rest, ok := strings.Cut(name, ".")
	if !ok || !pathRoots[root] || rest == "" {
		return false
	}
	for _, part := range strings.Split(rest, ".") {
		if part == "" {
			return false
		}
	}
	return true
}

// PathRoot reports whether name is an object whose insides a path names (details, ...), so a
// query that names the object alone can be told to name a path inside it.
func PathRoot(name string) bool { return pathRoots[name] }

// EachPathValue calls yield with every value e holds at path (IsPath must hold), as text: strings
// as they are, numbers and booleans as JSON writes them. An array gives each element, also through
// arrays of objects on the way, unless a part of digits picks one; a missing value, null or an
// empty string gives nothing. It stops and returns true when yield does.
func (e *Event) EachPathValue(path string, yield func(string) bool) bool {
	switch path {
	case EmailDomain:
		return yieldNonEmpty(e.EmailDomain(), yield)
	case UserAgentFamily:
		return yieldNonEmpty(e.UserAgentFamily(), yield)
	case "audience":
		return yieldNonEmpty(e.Audience, yield)
	case "scope":
		return yieldNonEmpty(e.Scope, yield)
	case "organization_name":
		return yieldNonEmpty(e.OrganizationName, yield)
	case "isMobile":
		// false when Auth0 leaves it out: the decoder keeps a boolean, not whether it was there
		return yield(strconv.FormatBool(e.IsMobile))
	}
	root, rest, _ := strings.Cut(path, ".")
	var raw []byte
	switch root {
	case "details":
		raw = e.Details
	case "location_info":
		if e.Location == nil {
			return false
		}
		v, _ := e.Location.value(rest)
		return yieldNonEmpty(v, yield)
	default:
		raw = e.Extra[root]
	}
	if len(raw) == 0 {
		return false
	}
	return eachJSON(gjson.ParseBytes(raw), strings.Split(rest, "."), 0, yield)
}

// PathValue is the first value e holds at path, or "": what an event is grouped by.
func (e *Event) PathValue(path string) string {
	var out string
	e.EachPathValue(path, func(v string) bool { out = v; return true })
	return out
}

func yieldNonEmpty(v string, yield func(string) bool) bool {
	return v != "" && yield(v)
}

// maxArrayNesting bounds how many arrays inside arrays a path fans out through. Each level rescans
// what is below it, so a hostile body of thousands of nested arrays would cost quadratic time on
// every event; no Auth0 event nests arrays this deep.
const maxArrayNesting = 4

// eachJSON walks r down parts, fanning out over arrays (nested counts the arrays it is inside).
// An empty string is no value, as for the plain fields, so path:* means "has a non-empty value".
func eachJSON(r gjson.Result, parts []string, nested int, yield func(string) bool) bool {
	if r.IsArray() {
		if len(parts) > 0 && isIndex(parts[0]) {
			return eachJSON(r.Get(parts[0]), parts[1:], nested, yield) // details.factors.0: one element
		}
		if nested >= maxArrayNesting {
			return false
		}
		found := false
		r.ForEach(func(_, el gjson.Result) bool {
			found = eachJSON(el, parts, nested+1, yield)
			return !found
		})
		return found
	}
	if len(parts) == 0 {
		switch r.Type {
		case gjson.Null:
			return false
		case gjson.String:
			return yieldNonEmpty(r.Str, yield)
		case gjson.JSON: // an object: its JSON text, so key:* finds that it is there
			return yield(r.Raw)
		}
		return yield(r.Raw) // numbers, true, false as written
	}
	if !r.IsObject() {
		return false
	}
	return eachJSON(r.Get(gjson.Escape(parts[0])), parts[1:], nested, yield)
}

// isIndex reports whether a path part names an array element: digits only.
func isIndex(part string) bool {
	return part != "" && strings.Trim(part, "0123456789") == ""
}

// value reads one location_info field by its JSON name.
func (l *Location) value(name string) (string, bool) {
	switch name {
	case "country_code":
		return l.CountryCode, true
	case "country_code3":
		return l.CountryCode3, true
	case "country_name":
		return l.CountryName, true
	case "city_name":
		return l.CityName, true
	case "subdivision_code":
		return l.SubdivisionCode, true
	case "subdivision_name":
		return l.SubdivisionName, true
	case "time_zone":
		return l.TimeZone, true
	case "continent_code":
		return l.ContinentCode, true
	case "latitude":
		return formatCoordinate(l.Latitude), true
	case "longitude":
		return formatCoordinate(l.Longitude), true
	}
	return "", false
}

func formatCoordinate(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// EmailDomain is the lower-cased domain of user_name when it is an e-mail address, else "".
func (e *Event) EmailDomain() string {
	i := strings.LastIndexByte(e.UserName, '@')
	if i < 0 || i == len(e.UserName)-1 {
		return ""
	}
	return strings.ToLower(e.UserName[i+1:])
}

// uaParser is safe for concurrent use: it only reads its trie once built.
var uaParser = useragent.NewParser()

// maxFamilyLen bounds a family taken from an unknown client's first product token.
const maxFamilyLen = 40

// auth0Agent is the form Auth0 writes a user agent it has parsed: "<family> <version> / <os>
// <version>" ("Chrome 86.0.4240 / Mac OS X 10.15.6", "Other 0.0.0 / Other 0.0.0" in the
// recordings); other events carry the raw header.
var auth0Agent = regexp.MustCompile(`^([^/]+?) \d+(?:\.\d+)* / `)

// UserAgentFamily is the family Auth0 already parsed ("Chrome Mobile", "Other"), else the browser
// family of a raw user agent ("Chrome", "Edge", "Safari"...), else the client's first product
// name ("curl", "python-requests", "okhttp"), else "" for no user agent. Scripts matter most in
// attack traffic and no browser table names them.
func (e *Event) UserAgentFamily() string {
	ua := strings.TrimSpace(e.UserAgent)
	if ua == "" {
		return ""
	}
	if m := auth0Agent.FindStringSubmatch(ua); m != nil && len(m[1]) <= maxFamilyLen {
		return m[1]
	}
	if b := uaParser.Parse(ua).Browser(); b != "" {
		return string(b)
	}
	end := strings.IndexAny(ua, "/ ;(")
	if end < 0 {
		end = len(ua)
	}
	if end == 0 || end > maxFamilyLen {
		return "Other"
	}
	return ua[:end]
}
