package logquery

import (
	"errors"
	"fmt"
	"strings"
)

const (
	// MaxQueryLen bounds the query text; Auth0 answers 414 to long URIs anyway, and the bound keeps
	// hostile input cheap.
	MaxQueryLen = 4096
	// MaxDepth bounds how deeply AND, OR and NOT nest in the parsed tree, so hostile input cannot
	// exhaust the stack of anything that walks the tree.
	MaxDepth = 100
	// maxNesting bounds parentheses plus NOTs in the text while parsing. Render needs at most two
	// (a parenthesis and a NOT) per tree level, so the rendering of any accepted tree is accepted.
	maxNesting = 2 * MaxDepth
)

// Parse reads a query in Auth0's log search syntax. An empty or blank query gives (nil, nil),
// which matches everything. Every error is a *SyntaxError pointing at the offending text, with
// Char set so its message counts characters as an editor does.
func Parse(q string) (Node, error) { return parseIn(q, false) }

// ParsePaths reads a query as Parse does, and also accepts field paths Auth0's search does not
// index (event.IsPath: details.request.path, security_context.ja4, user_name.domain...), which
// the plugin evaluates itself. Split separates them from what Auth0 can search.
func ParsePaths(q string) (Node, error) { return parseIn(q, true) }

func parseIn(q string, paths bool) (Node, error) {
	n, err := parse(q, paths)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return nil, locate(q, se)
		}
		return nil, err
	}
	return n, nil
}

func parse(q string, paths bool) (Node, error) {
	if len(q) > MaxQueryLen {
		return nil, errAt(MaxQueryLen, len(q)-MaxQueryLen,
			fmt.Sprintf("query is %d bytes, over the %d-byte limit", len(q), MaxQueryLen),
			"shorten it: fewer values, or a wildcard instead of a long OR list")
	}
	if err := checkControls(q); err != nil {
		return nil, err
	}
	if strings.TrimSpace(q) == "" {
		return nil, nil
	}
	toks, lerr := lex(q)
	if lerr != nil {
		return nil, lerr
	}
	p := &parser{toks: toks, paths: paths}
	n, err := p.or("")
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.unexpected(t)
	}
	if d := depth(n); d > MaxDepth {
		return nil, errAt(0, len(q), fmt.Sprintf("query nests %d levels deep, over the limit of %d", d, MaxDepth),
			"remove redundant parentheses or NOTs, or flatten the conditions")
	}
	if r := Render(n); len(r) > MaxQueryLen {
		return nil, errAt(0, len(q),
			fmt.Sprintf("query is %d bytes once written out in full (values quoted, operators explicit), over the %d-byte limit", len(r), MaxQueryLen),
			"shorten it: fewer values, or a wildcard instead of a long OR list")
	}
	return n, nil
}

// parser is a recursive-descent parser over the whole token list. Precedence, loosest first:
// OR (also implicit, between adjacent terms), AND, NOT.
type parser struct {
	toks  []token
	i     int
	depth int
	// paths accepts field paths (ParsePaths).
	paths bool
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func startsOperand(k tokKind) bool {
	return k == tWord || k == tQuoted || k == tRange || k == tLParen || k == tNot
}

// or parses OR-joined (or adjacent) operands. field is the field a field:( ... ) group applies.
func (p *parser) or(field string) (Node, error) {
	first, err := p.and(field)
	if err != nil {
		return nil, err
	}
	nodes := []Node{first}
	for {
		t := p.peek()
		switch {
		case t.kind == tOr:
			p.next()
			if !startsOperand(p.peek().kind) {
				return nil, p.dangling(t)
			}
		case t.kind == tNot:
			return nil, errAt(t.pos, t.end-t.pos, "NOT after a term needs AND or OR before it",
				"write a AND NOT b to exclude, or a OR (NOT b)")
		case startsOperand(t.kind): // implicit OR, Lucene's default operator
		default:
			return Or(nodes...), nil
		}
		n, err := p.and(field)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
}

func (p *parser) and(field string) (Node, error) {
	first, err := p.not(field)
	if err != nil {
		return nil, err
	}
	nodes := []Node{first}
	for p.peek().kind == tAnd {
		t := p.next()
		if !startsOperand(p.peek().kind) {
			return nil, p.dangling(t)
		}
		n, err := p.not(field)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	return And(nodes...), nil
}

func (p *parser) not(field string) (Node, error) {
	if p.peek().kind != tNot {
		return p.primary(field)
	}
	t := p.next()
	if !startsOperand(p.peek().kind) {
		return nil, p.dangling(t)
	}
	if err := p.enter(t); err != nil {
		return nil, err
	}
	n, err := p.not(field)
	p.depth--
	if err != nil {
		return nil, err
	}
	return &NotNode{Node: n}, nil
}

func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > maxNesting {
		return errAt(t.pos, t.end-t.pos, fmt.Sprintf("query nests more than %d parentheses and NOTs deep", maxNesting),
			"remove redundant parentheses or NOTs")
	}
	return nil
}

func (p *parser) primary(field string) (Node, error) {
	t := p.peek()
	switch t.kind {
	case tLParen:
		return p.group(field)
	case tWord:
		if p.toks[p.i+1].kind == tColon {
			return p.fielded()
		}
		p.next()
		return p.value(field, t, true)
	case tQuoted:
		p.next()
		return p.value(field, t, true)
	case tRange:
		p.next()
		if field == "" {
			return nil, errAt(t.pos, t.end-t.pos, "a range needs a field", "e.g. date:[2018-12-18 TO *] or log_id:[id TO *]")
		}
		return p.value(field, t, true)
	}
	return nil, p.unexpected(t)
}

// group parses ( ... ); the parentheses leave no node behind.
func (p *parser) group(field string) (Node, error) {
	open := p.next()
	if p.peek().kind == tRParen {
		return nil, errAt(open.pos, p.peek().end-open.pos, "empty parentheses", "put a condition inside or remove them")
	}
	if err := p.enter(open); err != nil {
		return nil, err
	}
	n, err := p.or(field)
	p.depth--
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tRParen {
		if t := p.peek(); t.kind != tEOF {
			return nil, p.unexpected(t)
		}
		return nil, errAt(open.pos, 1, "unbalanced parentheses: this ( is never closed", "add the missing )")
	}
	p.next()
	return n, nil
}
