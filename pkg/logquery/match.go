package logquery

import (
	"fmt"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Matcher evaluates a compiled query on events with Auth0's meaning. It holds no mutable state,
// so one Matcher may be used from many goroutines.
type Matcher struct {
	root matcher
}

// matcher is one compiled condition. Implementations must not allocate in match.
type matcher interface {
	match(e *event.Event) bool
}

// Compile checks n (fields, values, wildcard rules, as Parse does) and prepares it for fast
// evaluation. A nil n compiles to a Matcher that matches everything. Errors are *SyntaxError with
// Pos -1, since a tree carries no positions.
func Compile(n Node) (*Matcher, error) {
	if isNil(n) {
		return &Matcher{}, nil
	}
	return compileIn(n, false)
}

// CompilePaths compiles as Compile does, and also accepts field paths (see ParsePaths).
func CompilePaths(n Node) (*Matcher, error) {
	if isNil(n) {
		return &Matcher{}, nil
	}
	return compileIn(n, true)
}

func compileIn(n Node, paths bool) (*Matcher, error) {
	root, err := compiler{paths}.compile(n)
	if err != nil {
		return nil, err
	}
	return &Matcher{root: root}, nil
}

// compiler carries the mode of one compilation: whether field paths are accepted.
type compiler struct{ paths bool }

// Match reports whether e satisfies the query. A nil Matcher matches everything.
func (m *Matcher) Match(e *event.Event) bool {
	if m == nil || m.root == nil {
		return true
	}
	return m.root.match(e)
}

func (c compiler) compile(n Node) (matcher, error) {
	switch v := n.(type) {
	case *AndNode:
		kids, err := c.compileAll(v.Nodes)
		return andMatcher(kids), err
	case *OrNode:
		kids, err := c.compileAll(v.Nodes)
		return orMatcher(kids), err
	case *NotNode:
		if isNil(v.Node) {
			return nil, noPos(&problem{"NOT without a condition", "give NotNode a Node"})
		}
		kid, err := c.compile(v.Node)
		return notMatcher{kid}, err
	case *TermNode:
		return c.compileLeaf(v.Field, n, func(f string) (matcher, *problem) { return compileTerm(f, v.Value) })
	case *WildcardNode:
		return c.compileLeaf(v.Field, n, func(f string) (matcher, *problem) { return compileWildcard(f, v.Parts) })
	case *RangeNode:
		if v.Field == "" {
			return nil, noPos(&problem{"a range needs a field", "set RangeNode.Field"})
		}
		return c.compileLeaf(v.Field, n, func(f string) (matcher, *problem) { return compileRange(f, v.From, v.To) })
	}
	return nil, noPos(&problem{fmt.Sprintf("unsupported node %T", n), "build trees with this package's node types"})
}

func (c compiler) compileAll(nodes []Node) ([]matcher, error) {
	var out []matcher
	for _, n := range nodes {
		if isNil(n) {
			continue
		}
		m, err := c.compile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, noPos(&problem{"AND/OR without conditions", "use a nil Node to match everything"})
	}
	return out, nil
}

// compileLeaf validates the field and builds one matcher per field a bare term covers.
func (c compiler) compileLeaf(field string, n Node, build func(field string) (matcher, *problem)) (matcher, error) {
	if field != "" {
		if pr := checkField(field, c.paths); pr != nil {
			return nil, noPos(pr)
		}
		m, pr := build(field)
		if pr != nil {
			return nil, noPos(pr)
		}
		return m, nil
	}
	var any orMatcher
	for _, f := range event.DefaultSearchFields {
		m, pr := build(f)
		if pr != nil {
			return nil, noPos(pr)
		}
		any = append(any, m)
	}
	return any, nil
}

func noPos(p *problem) error { return &SyntaxError{Pos: -1, Msg: p.msg, Hint: p.hint} }

func compileTerm(field, value string) (matcher, *problem) {
	if pr := checkTerm(field, value); pr != nil {
		return nil, pr
	}
	if field == "date" {
		start, end, _ := parseDate(value)
		return dateMatcher{lo: start, hi: end, hasLo: true, hasHi: true}, nil
	}
	if event.IsPath(field) {
		return pathTerm(field, value), nil
	}
	return exactMatcher{get: getter(field), value: value}, nil
}

func compileWildcard(field string, parts []string) (matcher, *problem) {
	if pr := checkWildcard(field, parts); pr != nil {
		return nil, pr
	}
	if event.IsPath(field) {
		return pathWildcard(field, parts), nil
	}
	return globMatcher{get: getter(field), g: newGlob(parts)}, nil
}

// compileRange turns bounds into half-open comparisons. A date names a period, so an inclusive
// lower bound starts at the period's start, an exclusive one after its end, and so on.
func compileRange(field string, from, to Bound) (matcher, *problem) {
	if pr := checkRange(field, from, to); pr != nil {
		return nil, pr
	}
	if event.IsPath(field) {
		return pathRange(field, from, to), nil
	}
	if field != "date" {
		return stringRange{get: getter(field), from: from, to: to}, nil
	}
	var m dateMatcher
	if !from.Open {
		start, end, _ := parseDate(from.Value)
		m.lo, m.hasLo = end, true
		if from.Inclusive {
			m.lo = start
		}
	}
	if !to.Open {
		start, end, _ := parseDate(to.Value)
		m.hi, m.hasHi = start, true
		if to.Inclusive {
			m.hi = end
		}
	}
	return m, nil
}

// dateMatcher is lo <= date < hi; it reads Event.Date directly because Field("date") formats a
// string, which would allocate on every event.
type dateMatcher struct {
	lo, hi       time.Time
	hasLo, hasHi bool
}

func (m dateMatcher) match(e *event.Event) bool {
	return (!m.hasLo || !e.Date.Before(m.lo)) && (!m.hasHi || e.Date.Before(m.hi))
}
