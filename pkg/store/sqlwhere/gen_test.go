package sqlwhere

import (
	"math/rand/v2"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
)

// vocab holds a few values per field, full of characters that SQL patterns, quoting or
// collations could treat specially; queries and events draw from it so that matches are common.
var vocab = map[string][]string{
	"type":            {"s", "f", "fu", "fp", "sapi", "limit_wc", "AND", "f%", "f_"},
	"user_name":       {"jane.smith@usa.com", "john", "j", "Jane", `he said "hi"`, "o'brien", "a*b?c[d]", "ünïcode", "100%_done"},
	"description":     {"Wrong email or password", "Wrong email or password.", "usa", `back\slash *star*`, "[x]?", "emoji 🙂 ok", "tab\there"},
	"ip":              {"99.1.2.3", "10.0.0.1", "::1", "99.1.2.30"},
	"log_id":          {"90020181218000001", "90020181219000002", "90020190101000003", "9002", "XXX"},
	"client_name":     {"My App", "app", "ünïcode app", "&&x||y", "a]b", "%%"},
	"client_id":       {"abc", "ABC", "a_c", "a%c"},
	"connection":      {"Username-Password-Authentication", "google-oauth2", "passwordless", "pass*"},
	"connection_id":   {"con_1", "con_2", "con%1"},
	"user_id":         {"auth0|ABC123", "google-oauth2|1", "123", `x\y`},
	"user_agent":      {"Mozilla/5.0 (X11)", "curl/8.0", "with\ttab", "Zoë"},
	"hostname":        {"tenant.auth0.com", "login.example.com"},
	"organization_id": {"org_1", "org_[2]"},
	"strategy":        {"auth0", "samlp", "Auth0"},
	"strategy_type":   {"database", "enterprise", "data*base"},
}

var dateVocab = []string{"2018", "2018-12", "2018-12-18", "2018-12-31T23", "2019-01-01T01:00",
	"2019-01-01T01:00:00", "2019-01-01T01:00:00Z", "2019-01-01T01:00:00.5", "2019-01-01T01:00:00.000Z",
	"2019-01-01T01:00:00.0005", "2019-01-01T01:00:00.123456789Z", "2019-01-15", "1969-12-31T23:59:59.999"}

var countries = []string{"US", "DE", "", "GB"}

func randEvent(r *rand.Rand) *event.Event {
	e := &event.Event{}
	for _, f := range slices.Sorted(mapKeys(vocab)) {
		if r.IntN(5) > 0 {
			setField(e, f, vocab[f][r.IntN(len(vocab[f]))])
		}
	}
	base := time.Date(2018, 11, 25, 0, 0, 0, 0, time.UTC)
	e.Date = base.Add(time.Duration(r.Int64N(int64(60*24*time.Hour/time.Millisecond))) * time.Millisecond)
	switch r.IntN(12) {
	case 0: // right on a boundary
		e.Date = time.Date(2019, 1, 1, 1, 0, r.IntN(2), 0, time.UTC)
	case 1:
		e.Date = time.Date(2019, 1, 1, 1, 0, 0, 1e6*r.IntN(2), time.UTC)
	case 2:
		e.Date = time.Date(1969, 12, 31, 23, 59, 59, 999e6, time.UTC)
	case 3:
		e.Date = time.Time{} // an event without a date
	}
	if c := countries[r.IntN(len(countries))]; c != "" {
		e.Location = &event.Location{CountryCode: c}
	}
	return e
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func setField(e *event.Event, f, v string) {
	p := map[string]*string{"type": &e.Type, "user_name": &e.UserName, "description": &e.Description, "ip": &e.IP,
		"log_id": &e.LogID, "client_name": &e.ClientName, "client_id": &e.ClientID, "connection": &e.Connection,
		"connection_id": &e.ConnectionID, "user_id": &e.UserID, "user_agent": &e.UserAgent,
		"hostname": &e.Hostname, "organization_id": &e.OrganizationID, "strategy": &e.Strategy,
		"strategy_type": &e.StrategyType}[f]
	*p = v
}

func randLeaf(r *rand.Rand) logquery.Node {
	fields := slices.Sorted(mapKeys(vocab))
	field := fields[r.IntN(len(fields))]
	val := vocab[field][r.IntN(len(vocab[field]))]
	qfield := field
	if r.IntN(4) == 0 && slices.Contains(event.DefaultSearchFields, field) {
		qfield = ""
	}
	switch r.IntN(6) {
	case 0:
		if r.IntN(2) == 0 {
			return &logquery.TermNode{Field: "date", Value: dateVocab[r.IntN(len(dateVocab))]}
		}
		return &logquery.RangeNode{Field: "date", From: randBound(r, dateVocab), To: randBound(r, dateVocab)}
	case 1:
		return &logquery.RangeNode{Field: field, From: randBound(r, vocab[field]), To: randBound(r, vocab[field])}
	case 2, 3:
		for range 20 { // cut a random pattern out of a real value
			i := runeStart(val, r.IntN(len(val)+1))
			j := runeStart(val, i+r.IntN(len(val)-i+1))
			var parts []string
			switch r.IntN(5) {
			case 0:
				parts = []string{val[:j], ""}
			case 1:
				parts = []string{"", val[i:]}
			case 2:
				parts = []string{"", val[i:j], ""}
			case 3:
				parts = []string{val[:i], val[j:]}
			default:
				parts = []string{val[:i], "", val[j:]}
			}
			n := &logquery.WildcardNode{Field: qfield, Parts: parts}
			if _, err := logquery.Compile(n); err == nil {
				return n
			}
		}
	case 4:
		// An event-type style filter: several exact values of one field.
		vals := vocab[field]
		return logquery.FieldIn(field, vals[r.IntN(len(vals))], vals[r.IntN(len(vals))], vals[r.IntN(len(vals))])
	}
	return &logquery.TermNode{Field: qfield, Value: val}
}

func runeStart(s string, i int) int {
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return i
}

func randBound(r *rand.Rand, vals []string) logquery.Bound {
	if r.IntN(4) == 0 {
		return logquery.Bound{Open: true, Inclusive: r.IntN(2) == 0}
	}
	return logquery.Bound{Value: vals[r.IntN(len(vals))], Inclusive: r.IntN(2) == 0}
}

func randQuery(r *rand.Rand, depth int) logquery.Node {
	if depth == 0 || r.IntN(3) == 0 {
		return randLeaf(r)
	}
	switch r.IntN(3) {
	case 0:
		return &logquery.NotNode{Node: randQuery(r, depth-1)}
	case 1:
		return logquery.And(randQuery(r, depth-1), randQuery(r, depth-1), randQuery(r, depth-1))
	}
	return logquery.Or(randQuery(r, depth-1), randQuery(r, depth-1))
}
