package emulator

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// BuiltinFilter is the default Options.Filter: a deliberately narrow subset of Auth0's log search
// syntax that is exact where it answers and rejects the rest, so a client tested against it never
// relies on semantics the real API lacks. It supports field:value and field:"value" (exact, on the
// searchable fields), ranges field:[a TO b} with either bracket kind and * for an open end (dates
// compared as instants, other fields as strings), and AND / OR between terms, AND binding tighter.
// Wildcards, bare terms, NOT, parentheses and exact date terms are errors. An empty q matches all.
func BuiltinFilter(q string) (func(*event.Event) bool, error) {
	p := &queryScanner{s: q}
	p.skipSpace()
	if p.done() {
		return func(*event.Event) bool { return true }, nil
	}
	var groups [][]func(*event.Event) bool
	var group []func(*event.Event) bool
	for {
		t, err := p.term()
		if err != nil {
			return nil, err
		}
		group = append(group, t)
		p.skipSpace()
		if p.done() {
			break
		}
		switch op := p.word(); op {
		case "AND":
		case "OR":
			groups, group = append(groups, group), nil
		default:
			return nil, fmt.Errorf("expected AND or OR but found %q (the emulator's built-in filter supports only field terms joined by AND/OR)", op)
		}
		p.skipSpace()
		if p.done() {
			return nil, errors.New("the query ends with an operator; add a term after AND/OR")
		}
	}
	groups = append(groups, group)
	return func(e *event.Event) bool {
		for _, g := range groups {
			if allMatch(g, e) {
				return true
			}
		}
		return false
	}, nil
}

func allMatch(preds []func(*event.Event) bool, e *event.Event) bool {
	for _, p := range preds {
		if !p(e) {
			return false
		}
	}
	return true
}

// queryScanner reads a query left to right; pos is a byte offset into s.
type queryScanner struct {
	s   string
	pos int
}

func (p *queryScanner) done() bool { return p.pos >= len(p.s) }

func (p *queryScanner) peek() byte { return p.s[p.pos] }

func (p *queryScanner) skipSpace() {
	for !p.done() && strings.IndexByte(" \t\r\n", p.peek()) >= 0 {
		p.pos++
	}
}

// word reads up to the next space.
func (p *queryScanner) word() string {
	start := p.pos
	for !p.done() && strings.IndexByte(" \t\r\n", p.peek()) < 0 {
		p.pos++
	}
	return p.s[start:p.pos]
}

func (p *queryScanner) term() (func(*event.Event) bool, error) {
	start := p.pos
	for !p.done() && (isFieldByte(p.peek())) {
		p.pos++
	}
	field := p.s[start:p.pos]
	if p.done() || p.peek() != ':' || field == "" {
		p.pos = start
		return nil, unsupportedTerm(p.word())
	}
	if !slices.Contains(event.SearchableFields, field) {
		return nil, fmt.Errorf("unknown field %q", field)
	}
	p.pos++ // the colon
	if !p.done() && (p.peek() == '[' || p.peek() == '{') {
		return p.rangeTerm(field)
	}
	value, err := p.value(false)
	if err != nil {
		return nil, fmt.Errorf("field %s: %w", field, err)
	}
	if field == "date" {
		return nil, errors.New("the built-in filter matches dates only by range, e.g. date:[2024-01-01 TO 2024-01-02}")
	}
	return func(e *event.Event) bool {
		v, _ := e.Field(field)
		return v == value
	}, nil
}

func isFieldByte(c byte) bool {
	return c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func unsupportedTerm(w string) error {
	switch {
	case w == "NOT" || strings.HasPrefix(w, "-") || strings.HasPrefix(w, "!") || strings.HasPrefix(w, "+"):
		return errors.New("NOT and +/- prefixes are not supported by the emulator's built-in filter")
	case strings.HasPrefix(w, "("):
		return errors.New("parentheses are not supported by the emulator's built-in filter")
	case w == "AND" || w == "OR":
		return fmt.Errorf("%s needs a term before it", w)
	}
	return fmt.Errorf("term %q has no field; the emulator's built-in filter needs field:value", w)
}

// value reads a quoted or bare value. In a range, a bare value also ends at a closing bracket and
// "*" alone is allowed (the caller treats it as an open end).
func (p *queryScanner) value(inRange bool) (string, error) {
	if !p.done() && p.peek() == '"' {
		return p.quoted()
	}
	start := p.pos
	for !p.done() && strings.IndexByte(" \t\r\n", p.peek()) < 0 && !(inRange && (p.peek() == ']' || p.peek() == '}')) {
		p.pos++
	}
	v := p.s[start:p.pos]
	switch {
	case v == "":
		return "", errors.New("empty value; give a value after the colon")
	case inRange && v == "*":
		return v, nil
	case strings.ContainsAny(v, "*?"):
		return "", fmt.Errorf("wildcards (%q) are not supported by the emulator's built-in filter", v)
	case strings.ContainsAny(v, `()[]{}"\^~`) || (!inRange && strings.Contains(v, ":")):
		// Inside brackets Lucene takes everything up to a space or bracket, so times need no quotes.
		return "", fmt.Errorf("value %q has special characters; put it in double quotes", v)
	}
	return v, nil
}

func (p *queryScanner) quoted() (string, error) {
	p.pos++ // opening quote
	var b strings.Builder
	for !p.done() {
		c := p.peek()
		p.pos++
		switch {
		case c == '\\' && !p.done():
			b.WriteByte(p.peek())
			p.pos++
		case c == '"':
			if b.Len() == 0 {
				return "", errors.New("empty quoted value")
			}
			return b.String(), nil
		default:
			b.WriteByte(c)
		}
	}
	return "", errors.New("unterminated double quote")
}
