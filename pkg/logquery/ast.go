package logquery

import (
	"slices"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Node is a parsed query. A nil Node matches every event. Parentheses leave no node of their own:
// they only shape the tree, and Render puts back the ones the meaning needs. The concrete types
// are the *...Node types of this package; trees from Parse, And and Or never hold an AndNode
// directly inside an AndNode (nor an OrNode inside an OrNode), so trees compare with
// reflect.DeepEqual.
type Node interface {
	// String is Render of the node, for logs and test failures.
	String() string
	isNode()
}

// TermNode is an exact, whole-value, case-sensitive match. Field "" is a bare term, matched
// against event.DefaultSearchFields.
type TermNode struct {
	Field string
	Value string
}

// WildcardNode matches values made of Parts in order with anything (or nothing) between them:
// Parts holds at least two strings and the pattern is Parts joined by "*". "j*" is {"j", ""},
// "*fred*" is {"", "fred", ""}. Field "" is a bare term.
type WildcardNode struct {
	Field string
	Parts []string
}

// Bound is one end of a range. Open is Lucene's "*" end; Value and Inclusive mean nothing then.
type Bound struct {
	Value     string
	Inclusive bool
	Open      bool
}

// RangeNode is field:[From TO To] with either bracket kind at either end.
type RangeNode struct {
	Field string
	From  Bound
	To    Bound
}

// AndNode matches when every one of Nodes matches.
type AndNode struct{ Nodes []Node }

// OrNode matches when any one of Nodes matches.
type OrNode struct{ Nodes []Node }

// NotNode matches when Node does not.
type NotNode struct{ Node Node }

func (*TermNode) isNode()     {}
func (*WildcardNode) isNode() {}
func (*RangeNode) isNode()    {}
func (*AndNode) isNode()      {}
func (*OrNode) isNode()       {}
func (*NotNode) isNode()      {}

// String renders the term; see Render.
func (n *TermNode) String() string { return Render(n) }

// String renders the pattern; see Render.
func (n *WildcardNode) String() string { return Render(n) }

// String renders the range; see Render.
func (n *RangeNode) String() string { return Render(n) }

// String renders the conjunction; see Render.
func (n *AndNode) String() string { return Render(n) }

// String renders the disjunction; see Render.
func (n *OrNode) String() string { return Render(n) }

// String renders the negation; see Render.
func (n *NotNode) String() string { return Render(n) }

// And joins nodes so all must match. nil nodes (match everything) are skipped, nested AndNodes
// are flattened, one remaining node is returned as is and none gives nil.
func And(nodes ...Node) Node {
	flat := flatten(nodes, func(n Node) ([]Node, bool) {
		a, ok := n.(*AndNode)
		if !ok {
			return nil, false
		}
		return a.Nodes, true
	})
	switch len(flat) {
	case 0:
		return nil
	case 1:
		return flat[0]
	}
	return &AndNode{Nodes: flat}
}

// Or joins nodes so any may match. nil nodes are skipped, nested OrNodes are flattened, one
// remaining node is returned as is and none gives nil. Note that a nil argument does not make the
// whole OR match everything: a nil is "no condition given", not "true".
func Or(nodes ...Node) Node {
	flat := flatten(nodes, func(n Node) ([]Node, bool) {
		o, ok := n.(*OrNode)
		if !ok {
			return nil, false
		}
		return o.Nodes, true
	})
	switch len(flat) {
	case 0:
		return nil
	case 1:
		return flat[0]
	}
	return &OrNode{Nodes: flat}
}

func flatten(nodes []Node, children func(Node) ([]Node, bool)) []Node {
	var out []Node
	for _, n := range nodes {
		if isNil(n) {
			continue
		}
		if kids, ok := children(n); ok {
			out = append(out, flatten(kids, children)...)
			continue
		}
		out = append(out, n)
	}
	return out
}

// isNil also catches typed nil pointers, which callers can easily pass through a Node variable.
func isNil(n Node) bool {
	switch v := n.(type) {
	case nil:
		return true
	case *TermNode:
		return v == nil
	case *WildcardNode:
		return v == nil
	case *RangeNode:
		return v == nil
	case *AndNode:
		return v == nil
	case *OrNode:
		return v == nil
	case *NotNode:
		return v == nil
	}
	return false
}

// FieldIn is the exact-match OR of values on one field, the shape of an event-type filter.
// Duplicates are dropped; no values gives nil, which means "no restriction", not "nothing".
func FieldIn(field string, values ...string) Node {
	seen := make(map[string]bool, len(values))
	nodes := make([]Node, 0, len(values))
	for _, v := range values {
		if seen[v] {
			continue
		}
		seen[v] = true
		nodes = append(nodes, &TermNode{Field: field, Value: v})
	}
	return Or(nodes...)
}

// DateRange selects events from `from` (inclusive) up to `to` (exclusive), rendered in UTC with
// milliseconds. A zero time leaves that end open.
func DateRange(from, to time.Time) Node {
	return DateRangeTo(from, to, false)
}

// DateRangeTo is DateRange with the upper bound included when includeTo is set: keyset paging asks
// again for the oldest timestamp it has seen, since more events may share it.
func DateRangeTo(from, to time.Time, includeTo bool) Node {
	return &RangeNode{Field: "date", From: timeBound(from, true), To: timeBound(to, includeTo)}
}

func timeBound(t time.Time, inclusive bool) Bound {
	if t.IsZero() {
		return Bound{Open: true, Inclusive: inclusive}
	}
	return Bound{Value: t.UTC().Format(event.DateLayout), Inclusive: inclusive}
}

// Fields lists, sorted and without repeats, the event fields a query reads. A bare term reads
// every one of event.DefaultSearchFields, so they are listed for it. nil gives nil.
func Fields(n Node) []string {
	var out []string
	walk(n, func(leaf Node) {
		field := ""
		switch v := leaf.(type) {
		case *TermNode:
			field = v.Field
		case *WildcardNode:
			field = v.Field
		case *RangeNode:
			field = v.Field
		}
		if field == "" {
			out = append(out, event.DefaultSearchFields...)
			return
		}
		out = append(out, field)
	})
	slices.Sort(out)
	return slices.Compact(out)
}

// walk calls leaf for every term, wildcard and range under n.
func walk(n Node, leaf func(Node)) {
	switch v := n.(type) {
	case *AndNode:
		for _, c := range v.Nodes {
			walk(c, leaf)
		}
	case *OrNode:
		for _, c := range v.Nodes {
			walk(c, leaf)
		}
	case *NotNode:
		walk(v.Node, leaf)
	default:
		if !isNil(n) {
			leaf(n)
		}
	}
}

// depth is how deeply AND, OR and NOT nest; a leaf is 0.
func depth(n Node) int {
	d := 0
	switch v := n.(type) {
	case *AndNode:
		for _, c := range v.Nodes {
			d = max(d, depth(c)+1)
		}
	case *OrNode:
		for _, c := range v.Nodes {
			d = max(d, depth(c)+1)
		}
	case *NotNode:
		d = depth(v.Node) + 1
	}
	return d
}
