package logquery

import (
	"fmt"
	"strings"
)

// fielded parses field:value, field:[range] and field:( ... ).
func (p *parser) fielded() (Node, error) {
	name := p.next()
	colon := p.next()
	if name.wildcard() || name.escaped {
		return nil, errAt(name.pos, name.end-name.pos, "field names cannot contain wildcards or escapes",
			"use one of the searchable fields, e.g. user_name:j*")
	}
	if pr := checkField(name.text, p.paths); pr != nil {
		return nil, pr.at(name.pos, name.end-name.pos)
	}
	v := p.peek()
	switch v.kind {
	case tWord, tQuoted, tRange:
		p.next()
		n, err := p.value(name.text, v, false)
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind == tColon {
			return nil, errAt(c.pos, 1, fmt.Sprintf("unexpected ':' in the value of %s", name.text),
				fmt.Sprintf(`quote the whole value when it contains ':' (e.g. %s:"a:b") or escape each colon as \:`, name.text))
		}
		return n, nil
	case tLParen:
		return p.group(name.text)
	}
	if v.kind == tColon {
		return nil, errAt(colon.pos, 1, fmt.Sprintf("%s: has no value before the next ':'", name.text),
			fmt.Sprintf(`quote a value that contains ':', e.g. %s:"::1", or escape each colon as \:`, name.text))
	}
	return nil, errAt(colon.pos, 1, fmt.Sprintf("%s: has no value", name.text),
		`write the value right after the colon, e.g. type:"s" (quote values that look like operators: type:"AND")`)
}

// value turns a value token into a node for field ("" = bare term). standalone is false right
// after "field:", where a lower-case "and" can only be a value.
func (p *parser) value(field string, t token, standalone bool) (Node, error) {
	span := t.end - t.pos
	switch {
	case t.kind == tRange:
		if pr := checkRange(field, t.from, t.to); pr != nil {
			return nil, pr.at(t.pos, span)
		}
		return &RangeNode{Field: field, From: t.from, To: t.to}, nil
	case t.wildcard():
		if pr := checkWildcard(field, t.parts); pr != nil {
			return nil, pr.at(t.pos, span)
		}
		return &WildcardNode{Field: field, Parts: t.parts}, nil
	}
	if standalone && t.kind == tWord && !t.escaped {
		switch strings.ToUpper(t.text) {
		case "AND", "OR", "NOT":
			return nil, errAt(t.pos, span, fmt.Sprintf("operator %q must be upper-case", t.text),
				fmt.Sprintf("write %s, or quote it (%q) to search for the word", strings.ToUpper(t.text), t.text))
		}
	}
	if pr := checkTerm(field, t.text); pr != nil {
		return nil, pr.at(t.pos, span)
	}
	return &TermNode{Field: field, Value: t.text}, nil
}

// dangling reports an operator with nothing usable after it.
func (p *parser) dangling(op token) error {
	word := map[tokKind]string{tAnd: "AND", tOr: "OR", tNot: "NOT"}[op.kind]
	after := p.peek()
	what := "the end of the query"
	switch after.kind {
	case tRParen:
		what = ")"
	case tAnd, tOr:
		what = map[tokKind]string{tAnd: "AND", tOr: "OR"}[after.kind]
	case tColon:
		what = "':'"
	}
	return errAt(op.pos, op.end-op.pos, fmt.Sprintf("%s is followed by %s instead of a condition", word, what),
		fmt.Sprintf("add a condition after %s or remove it", word))
}

// unexpected reports a token that cannot start a condition.
func (p *parser) unexpected(t token) error {
	span := t.end - t.pos
	switch t.kind {
	case tRParen:
		return errAt(t.pos, span, "unbalanced parentheses: this ) has no matching (", "remove it or add the missing (")
	case tColon:
		return errAt(t.pos, span, "unexpected ':'",
			`put a field name right before it (type:s); quote a value that contains ':' or escape it as \:`)
	case tAnd, tOr:
		word := map[tokKind]string{tAnd: "AND", tOr: "OR"}[t.kind]
		return errAt(t.pos, span, word+" needs a condition before it",
			fmt.Sprintf("add a condition before %s or remove it; to search for the word, quote it: %q", word, word))
	case tEOF:
		return errAt(t.pos, 1, "the query ends where a condition was expected", "complete or remove the last operator")
	}
	return errAt(t.pos, span, "unexpected text", "check the query syntax")
}
