package logquery

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Split separates what Auth0's search (or the store's SQL) can evaluate from what only the plugin
// can: searched holds the top-level AND terms that name no field path, filtered the rest. An event
// matches n exactly when it matches both, so the plugin reads the events matching searched and
// keeps those matching filtered. Either is nil when empty. An OR or NOT that mixes a path with
// searchable fields goes to filtered whole: Auth0 could only over- or under-select for it.
func Split(n Node) (searched, filtered Node) {
	if isNil(n) {
		return nil, nil
	}
	terms := []Node{n}
	if and, ok := n.(*AndNode); ok {
		terms = and.Nodes
	}
	var s, f []Node
	for _, t := range terms {
		if UsesPaths(t) {
			f = append(f, t)
		} else {
			s = append(s, t)
		}
	}
	return And(s...), And(f...)
}

// UsesPaths reports whether n names a field path anywhere.
func UsesPaths(n Node) bool {
	return slices.ContainsFunc(Fields(n), event.IsPath)
}

// pathMatcher matches when any value the event holds at path satisfies ok. Unlike the matchers
// of searchable fields it may allocate: reading inside details parses JSON.
type pathMatcher struct {
	path string
	ok   func(string) bool
}

func (m pathMatcher) match(e *event.Event) bool { return e.EachPathValue(m.path, m.ok) }

// folds says whether a path's values compare without case: an e-mail domain does.
func folds(path string) bool { return path == event.EmailDomain }

// pathTerm matches the value as written, or, for a number, any way of writing it (1 is 1.0).
func pathTerm(path, value string) matcher {
	if folds(path) {
		value = strings.ToLower(value)
	}
	if want, ok := number(value); ok {
		return pathMatcher{path, func(v string) bool {
			got, ok := number(v)
			return v == value || ok && got == want
		}}
	}
	return pathMatcher{path, func(v string) bool { return v == value }}
}

func pathWildcard(path string, parts []string) matcher {
	if folds(path) {
		parts = slices.Clone(parts)
		for i := range parts {
			parts[i] = strings.ToLower(parts[i])
		}
	}
	g := newGlob(parts)
	return pathMatcher{path, g.match}
}

// pathRange compares numerically where the bound and the value are both numbers (a status code,
// a count), else byte-wise as stringRange does.
func pathRange(path string, from, to Bound) matcher {
	if folds(path) {
		from.Value, to.Value = strings.ToLower(from.Value), strings.ToLower(to.Value)
	}
	return pathMatcher{path, func(v string) bool {
		return v != "" && above(v, from) && below(v, to)
	}}
}

func above(v string, b Bound) bool {
	if b.Open {
		return true
	}
	c := compareValues(v, b.Value)
	return c > 0 || c == 0 && b.Inclusive
}

func below(v string, b Bound) bool {
	if b.Open {
		return true
	}
	c := compareValues(v, b.Value)
	return c < 0 || c == 0 && b.Inclusive
}

func compareValues(a, b string) int {
	x, okA := number(a)
	y, okB := number(b)
	if okA && okB {
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return strings.Compare(a, b)
}

// number reads s as a JSON number writes it: digits, sign, point and exponent only, and finite,
// so "NaN", "Inf" or "0x10" (which strconv accepts) compare as text.
func number(s string) (float64, bool) {
	if s == "" || strings.Trim(s, "0123456789+-.eE") != "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && !math.IsInf(f, 0)
}
