package logquery

import (
	"strings"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// getter reads one searchable string field. It goes through event.Field so the mapping of names
// to struct fields lives in one place.
func getter(field string) func(*event.Event) string {
	return func(e *event.Event) string {
		v, _ := e.Field(field)
		return v
	}
}

type andMatcher []matcher

func (m andMatcher) match(e *event.Event) bool {
	for _, c := range m {
		if !c.match(e) {
			return false
		}
	}
	return true
}

type orMatcher []matcher

func (m orMatcher) match(e *event.Event) bool {
	for _, c := range m {
		if c.match(e) {
			return true
		}
	}
	return false
}

type notMatcher struct{ m matcher }

func (m notMatcher) match(e *event.Event) bool { return !m.m.match(e) }

type exactMatcher struct {
	get   func(*event.Event) string
	value string
}

func (m exactMatcher) match(e *event.Event) bool { return m.get(e) == m.value }

type globMatcher struct {
	get func(*event.Event) string
	g   glob
}

func (m globMatcher) match(e *event.Event) bool { return m.g.match(m.get(e)) }

// glob is a *-only pattern: a prefix, a suffix and pieces that must appear between them in
// order. Matching the pieces leftmost-first is exact for * patterns, so no backtracking.
type glob struct {
	prefix, suffix string
	middle         []string
	minLen         int
}

func newGlob(parts []string) glob {
	g := glob{prefix: parts[0], suffix: parts[len(parts)-1], middle: parts[1 : len(parts)-1]}
	for _, p := range parts {
		g.minLen += len(p)
	}
	return g
}

func (g glob) match(v string) bool {
	if len(v) < g.minLen || !strings.HasPrefix(v, g.prefix) || !strings.HasSuffix(v, g.suffix) {
		return false
	}
	rest := v[len(g.prefix) : len(v)-len(g.suffix)]
	for _, piece := range g.middle {
		i := strings.Index(rest, piece)
		if i < 0 {
			return false
		}
		rest = rest[i+len(piece):]
	}
	return true
}

// stringRange compares bytes, as a keyword field does. An event without the field (empty value)
// is never in a range, as in Elasticsearch, where a missing field matches no range.
type stringRange struct {
	get      func(*event.Event) string
	from, to Bound
}

func (m stringRange) match(e *event.Event) bool {
	v := m.get(e)
	if v == "" {
		return false
	}
	if !m.from.Open {
		if c := strings.Compare(v, m.from.Value); c < 0 || (c == 0 && !m.from.Inclusive) {
			return false
		}
	}
	if !m.to.Open {
		if c := strings.Compare(v, m.to.Value); c > 0 || (c == 0 && !m.to.Inclusive) {
			return false
		}
	}
	return true
}
