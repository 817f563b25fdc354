package logquery

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// vocab holds a few values per field; queries and events draw from it so that matches are
// common. It includes values full of characters that need escaping.
var vocab = map[string][]string{
	"type":        {"s", "f", "fu", "fp", "sapi", "seacft", "AND", "limit_wc"},
	"user_name":   {"jane.smith@usa.com", "john", "j", "alfred", "Jane", "a:b (x)", `he said "hi"`},
	"description": {"Wrong email or password", "Create a rule", "logs exported", "usa", `back\slash *star*`, "-minus +plus"},
	"ip":          {"99.1.2.3", "10.0.0.1", "::1"},
	"log_id":      {"90020181218000001", "90020181219000002", "90020190101000003", "9002"},
	"client_name": {"My App", "app", "ünïcode app", "&&x||y"},
	"connection":  {"Username-Password-Authentication", "google-oauth2", "passwordless"},
	"user_id":     {"auth0|ABC123", "google-oauth2|1", "123"},
	"user_agent":  {"Mozilla/5.0 (X11)", "curl/8.0", "with\ttab"},
	"hostname":    {"tenant.auth0.com", "login.example.com"},
}

var dateVocab = []string{"2018", "2018-12", "2018-12-18", "2018-12-31T23", "2019-01-01T01:00",
	"2019-01-01T01:00:00", "2019-01-01T01:00:00Z", "2019-01-01T01:00:00.5", "2019-01-01T01:00:00.000Z", "2019-01-15"}

func randEvent(r *rand.Rand) *event.Event {
	e := &event.Event{}
	for f, vals := range vocab {
		if r.IntN(5) > 0 {
			setField(e, f, vals[r.IntN(len(vals))])
		}
	}
	base := time.Date(2018, 11, 25, 0, 0, 0, 0, time.UTC)
	e.Date = base.Add(time.Duration(r.Int64N(int64(60*24*time.Hour/time.Millisecond))) * time.Millisecond)
	if r.IntN(10) == 0 { // right on a boundary
		e.Date = time.Date(2019, 1, 1, 1, 0, r.IntN(2), 0, time.UTC)
	}
	return e
}

func randField(r *rand.Rand) string {
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range vocab {
			if !yield(k) {
				return
			}
		}
	})
	return keys[r.IntN(len(keys))]
}

func randLeaf(r *rand.Rand) Node {
	field := randField(r)
	val := vocab[field][r.IntN(len(vocab[field]))]
	qfield := field
	if r.IntN(4) == 0 && slices.Contains(event.DefaultSearchFields, field) {
		qfield = ""
	}
	switch r.IntN(5) {
	case 0:
		if r.IntN(2) == 0 {
			return &TermNode{Field: "date", Value: dateVocab[r.IntN(len(dateVocab))]}
		}
		return &RangeNode{Field: "date", From: randBound(r, dateVocab), To: randBound(r, dateVocab)}
	case 1:
		return &RangeNode{Field: field, From: randBound(r, vocab[field]), To: randBound(r, vocab[field])}
	case 2, 3:
		for range 20 { // cut a random pattern out of a real value
			i := runeStart(val, r.IntN(len(val)+1))
			j := runeStart(val, i+r.IntN(len(val)-i+1))
			var parts []string
			switch r.IntN(4) {
			case 0:
				parts = []string{val[:j], ""}
			case 1:
				parts = []string{"", val[i:]}
			case 2:
				parts = []string{"", val[i:j], ""}
			default:
				parts = []string{val[:i], val[j:]}
			}
			if checkWildcard(qfield, parts) == nil {
				return &WildcardNode{Field: qfield, Parts: parts}
			}
		}
	}
	return &TermNode{Field: qfield, Value: val}
}

// runeStart moves i forward to a rune boundary, so cut values stay valid UTF-8 for regexp.
func runeStart(s string, i int) int {
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return i
}

func randBound(r *rand.Rand, vals []string) Bound {
	if r.IntN(4) == 0 {
		return Bound{Open: true, Inclusive: r.IntN(2) == 0}
	}
	return Bound{Value: vals[r.IntN(len(vals))], Inclusive: r.IntN(2) == 0}
}

func randQuery(r *rand.Rand, depth int) Node {
	if depth == 0 || r.IntN(3) == 0 {
		return randLeaf(r)
	}
	switch r.IntN(3) {
	case 0:
		return &NotNode{Node: randQuery(r, depth-1)}
	case 1:
		return And(randQuery(r, depth-1), randQuery(r, depth-1), randQuery(r, depth-1))
	}
	return Or(randQuery(r, depth-1), randQuery(r, depth-1))
}

// refMatch is a deliberately plain evaluator: regexps for wildcards, and for dates the fact that
// an event date string begins with a partial date exactly when it falls in that period.
func refMatch(n Node, e *event.Event) bool {
	fieldsOf := func(f string) []string {
		if f == "" {
			return event.DefaultSearchFields
		}
		return []string{f}
	}
	switch v := n.(type) {
	case *AndNode:
		for _, c := range v.Nodes {
			if !refMatch(c, e) {
				return false
			}
		}
		return true
	case *OrNode:
		for _, c := range v.Nodes {
			if refMatch(c, e) {
				return true
			}
		}
		return false
	case *NotNode:
		return !refMatch(v.Node, e)
	case *TermNode:
		for _, f := range fieldsOf(v.Field) {
			got, _ := e.Field(f)
			if f == "date" && strings.HasPrefix(got, strings.TrimSuffix(v.Value, "Z")) || f != "date" && got == v.Value {
				return true
			}
		}
		return false
	case *WildcardNode:
		re := refRegexp(v.Parts)
		for _, f := range fieldsOf(v.Field) {
			if got, _ := e.Field(f); re.MatchString(got) {
				return true
			}
		}
		return false
	case *RangeNode:
		got, _ := e.Field(v.Field)
		return refLower(v.Field, got, v.From) && refUpper(v.Field, got, v.To)
	}
	panic("unknown node")
}

var refRegexps = map[string]*regexp.Regexp{}

func refRegexp(parts []string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = regexp.QuoteMeta(p)
	}
	src := `(?s)^` + strings.Join(quoted, ".*") + `$`
	if re, ok := refRegexps[src]; ok {
		return re
	}
	re := regexp.MustCompile(src)
	refRegexps[src] = re
	return re
}

func refLower(field, got string, b Bound) bool {
	if got == "" {
		return false
	}
	if b.Open {
		return true
	}
	if field == "date" {
		d := strings.TrimSuffix(b.Value, "Z")
		return got >= d && (b.Inclusive || !strings.HasPrefix(got, d))
	}
	return got > b.Value || b.Inclusive && got == b.Value
}

func refUpper(field, got string, b Bound) bool {
	if b.Open {
		return true
	}
	if field == "date" {
		d := strings.TrimSuffix(b.Value, "Z")
		return got < d || b.Inclusive && strings.HasPrefix(got, d)
	}
	return got < b.Value || b.Inclusive && got == b.Value
}

func TestMatcherAgreesWithReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	events := make([]*event.Event, 300)
	for i := range events {
		events[i] = randEvent(r)
	}
	matched := 0
	for range 400 {
		q := randQuery(r, 3)
		text := Render(q)
		parsed, err := Parse(text)
		require.NoError(t, err, text)
		require.Equal(t, q, parsed, "round trip of %s", text)
		m, err := Compile(q)
		require.NoError(t, err, text)
		for _, e := range events {
			want := refMatch(q, e)
			require.Equal(t, want, m.Match(e), "query %s on %+v", text, *e)
			if want {
				matched++
			}
		}
	}
	// Guard against a generator that only ever produces queries matching nothing or everything.
	require.Greater(t, matched, 400*300/10)
	require.Less(t, matched, 400*300*9/10)
}
