package logquery

import "strings"

const rangeShape = "a range looks like field:[from TO to]: [ ] include the end, { } exclude it, * leaves it open"

// rangeTok lexes a whole range, [from TO to} and the like. Inside a range, as in Lucene, a bound
// runs to whitespace or a closing bracket, so dates with colons need no escaping there.
func (l *lexer) rangeTok() *SyntaxError {
	start := l.pos
	tok := token{kind: tRange, pos: start}
	l.pos++
	l.skipSpace()
	from, err := l.bound(start)
	if err != nil {
		return err
	}
	l.skipSpace()
	if err := l.rangeTO(start); err != nil {
		return err
	}
	l.skipSpace()
	to, err := l.bound(start)
	if err != nil {
		return err
	}
	l.skipSpace()
	if l.pos >= len(l.src) {
		return errAt(start, l.pos-start, "range is not closed", rangeShape)
	}
	switch l.src[l.pos] {
	case ']', '}':
	default:
		return errAt(l.pos, 1, "expected ] or } to close the range", rangeShape)
	}
	from.Inclusive = l.src[start] == '['
	to.Inclusive = l.src[l.pos] == ']'
	tok.from, tok.to = from, to
	l.pos++
	tok.end = l.pos
	l.toks = append(l.toks, tok)
	return nil
}

// rangeTO consumes the TO between the bounds.
func (l *lexer) rangeTO(start int) *SyntaxError {
	if l.pos >= len(l.src) {
		return errAt(start, l.pos-start, "range is not closed", rangeShape)
	}
	end := l.pos
	for end < len(l.src) {
		r, w := l.runeAt(end)
		if isSpace(r) || r == ']' || r == '}' {
			break
		}
		end += w
	}
	switch word := l.src[l.pos:end]; {
	case word == "TO":
		l.pos = end
		return nil
	case strings.EqualFold(word, "TO"):
		return errAt(l.pos, end-l.pos, "TO in a range must be upper-case", rangeShape)
	case word == "":
		return errAt(l.pos, 1, "range is missing TO and its upper bound", rangeShape)
	default:
		return errAt(l.pos, end-l.pos, "range is missing TO between its bounds", rangeShape)
	}
}

// bound lexes one end of a range: "quoted", a lone * (open end), or bare text with escapes.
func (l *lexer) bound(start int) (Bound, *SyntaxError) {
	if l.pos >= len(l.src) {
		return Bound{}, errAt(start, l.pos-start, "range is not closed", rangeShape)
	}
	if c := l.src[l.pos]; c == ']' || c == '}' {
		return Bound{}, errAt(l.pos, 1, "range bound is missing", rangeShape)
	}
	if l.src[l.pos] == '"' {
		qpos := l.pos
		if err := l.quoted(); err != nil {
			return Bound{}, err
		}
		q := l.toks[len(l.toks)-1]
		l.toks = l.toks[:len(l.toks)-1]
		if q.text == "" {
			return Bound{}, errAt(qpos, q.end-qpos, "range bound is empty", "give a value or use * for an open end")
		}
		return Bound{Value: q.text}, nil
	}
	bpos := l.pos
	var b strings.Builder
	stars := 0
	for l.pos < len(l.src) {
		r, w := l.runeAt(l.pos)
		if isSpace(r) || r == ']' || r == '}' {
			break
		}
		switch r {
		case '\\':
			if l.pos+w >= len(l.src) {
				return Bound{}, errAt(l.pos, 1, "the query ends with a lone backslash", `write a literal backslash as \\`)
			}
			_, ew := l.runeAt(l.pos + 1)
			b.WriteString(l.src[l.pos+1 : l.pos+1+ew])
			l.pos += 1 + ew
			continue
		case '*':
			stars++
		case '?':
			return Bound{}, errAt(l.pos, 1, "the ? wildcard is not supported by Auth0 log search", `escape it as \? or quote the bound`)
		}
		b.WriteString(l.src[l.pos : l.pos+w])
		l.pos += w
	}
	raw := l.src[bpos:l.pos]
	if raw == "*" {
		return Bound{Open: true}, nil
	}
	if stars > 0 {
		return Bound{}, errAt(bpos, len(raw), "wildcards inside a range bound are not supported",
			`a bound is compared as text; use a lone * for an open end, or escape the star as \*`)
	}
	return Bound{Value: b.String()}, nil
}
