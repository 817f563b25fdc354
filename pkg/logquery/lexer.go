package logquery

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF tokKind = iota
	tLParen
	tRParen
	tColon
	tAnd
	tOr
	tNot
	tWord   // an unquoted value or field name
	tQuoted // a "quoted" value
	tRange  // a whole [a TO b} range
)

// token is one lexed unit. pos/end are byte offsets into the query.
type token struct {
	kind     tokKind
	pos, end int
	text     string   // unescaped value (tWord without wildcard, tQuoted)
	parts    []string // tWord with an unescaped *: the literal pieces between stars (>= 2)
	escaped  bool     // tWord contained a backslash escape
	from, to Bound    // tRange
}

func (t token) wildcard() bool { return len(t.parts) > 0 }

type lexer struct {
	src  string
	pos  int
	toks []token
}

func lex(src string) ([]token, *SyntaxError) {
	l := &lexer{src: src}
	for {
		l.skipSpace()
		if l.pos >= len(src) {
			l.toks = append(l.toks, token{kind: tEOF, pos: len(src), end: len(src)})
			return l.toks, nil
		}
		start := l.pos
		var err *SyntaxError
		switch c := src[l.pos]; c {
		case '(':
			l.emit(tLParen, start, start+1)
		case ')':
			l.emit(tRParen, start, start+1)
		case ':':
			l.emit(tColon, start, start+1)
		case '"':
			err = l.quoted()
		case '[', '{':
			err = l.rangeTok()
		case ']', '}':
			err = errAt(start, 1, "unexpected "+string(c)+" without an opening bracket",
				"a range looks like field:[from TO to] (or { } for exclusive ends)")
		default:
			err = l.word()
		}
		if err != nil {
			return nil, err
		}
	}
}

func (l *lexer) emit(kind tokKind, pos, end int) {
	l.pos = end
	l.toks = append(l.toks, token{kind: kind, pos: pos, end: end})
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

// runeAt decodes the rune at i; invalid UTF-8 counts as one byte so nothing is ever lost.
func (l *lexer) runeAt(i int) (rune, int) {
	if c := l.src[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(l.src[i:])
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.src) {
		r, w := l.runeAt(l.pos)
		if !isSpace(r) {
			return
		}
		l.pos += w
	}
}

// quoted lexes "..." with backslash escapes; the text inside is taken literally (no wildcards).
func (l *lexer) quoted() *SyntaxError {
	start := l.pos
	var b strings.Builder
	i := start + 1
	for i < len(l.src) {
		c := l.src[i]
		if c == '"' {
			l.toks = append(l.toks, token{kind: tQuoted, pos: start, end: i + 1, text: b.String()})
			l.pos = i + 1
			return nil
		}
		if c == '\\' && i+1 < len(l.src) {
			_, w := l.runeAt(i + 1)
			b.WriteString(l.src[i+1 : i+1+w])
			i += 1 + w
			continue
		}
		b.WriteByte(c)
		i++
	}
	return errAt(start, len(l.src)-start, "unterminated quote",
		`close the value with " (write a literal quote inside it as \")`)
}

// word lexes an unquoted value or field name up to whitespace or a structural character,
// rejecting Lucene features Auth0 does not support where they appear.
func (l *lexer) word() *SyntaxError {
	start := l.pos
	if err := l.checkWordStart(); err != nil {
		return err
	}
	var b strings.Builder
	var parts []string
	escaped := false
	i := start
	for i < len(l.src) {
		r, w := l.runeAt(i)
		if isSpace(r) || strings.ContainsRune(`()":[]{}`, r) {
			break
		}
		switch r {
		case '\\':
			if i+w >= len(l.src) {
				return errAt(i, 1, "the query ends with a lone backslash", `write a literal backslash as \\`)
			}
			_, ew := l.runeAt(i + 1)
			b.WriteString(l.src[i+1 : i+1+ew])
			escaped = true
			i += 1 + ew
			continue
		case '*':
			parts = append(parts, b.String())
			b.Reset()
		case '?':
			return errAt(i, 1, "the ? wildcard is not supported by Auth0 log search",
				`use * (any run of characters, e.g. user_name:jo*), or escape it as \? to search for a literal ?`)
		case '~':
			return errAt(i, 1, "fuzzy and proximity searches (~) are not supported by Auth0 log search",
				`use a wildcard such as *smith, or escape it as \~`)
		case '^':
			return errAt(i, 1, "boosting (^) is not supported by Auth0 log search",
				`remove the ^ and the number after it, or escape it as \^`)
		case '!':
			return errAt(i, 1, "! is not supported as an operator", `use NOT, or escape it as \!`)
		default:
			b.WriteString(l.src[i : i+w])
		}
		i += w
	}
	tok := token{kind: tWord, pos: start, end: i, escaped: escaped}
	if parts != nil {
		tok.parts = compactParts(append(parts, b.String()))
	} else {
		tok.text = b.String()
	}
	l.pos = i
	l.toks = append(l.toks, keyword(tok))
	return nil
}

// checkWordStart rejects characters that Lucene reads as operators or other syntax at the start
// of a term, before they can be mistaken for part of a value.
func (l *lexer) checkWordStart() *SyntaxError {
	pos := l.pos
	switch l.src[pos] {
	case '+':
		return errAt(pos, 1, "the + prefix is not supported", `join required conditions with AND; for a value that starts with +, quote it or escape it as \+`)
	case '-':
		return errAt(pos, 1, "the - prefix is not supported", `exclude with NOT (a AND NOT b); for a value that starts with -, quote it or escape it as \-`)
	case '/':
		return errAt(pos, 1, "regular expressions (/.../) are not supported by Auth0 log search",
			`use * wildcards, or escape it as \/`)
	case '<', '>':
		return errAt(pos, 1, "comparison operators (<, >) are not supported",
			`use a range such as field:[value TO *], or quote the value`)
	}
	rest := l.src[pos:]
	if strings.HasPrefix(rest, "&&") || strings.HasPrefix(rest, "||") {
		op := map[byte]string{'&': "AND", '|': "OR"}[rest[0]]
		return errAt(pos, 2, rest[:2]+" is not supported as an operator", "use "+op)
	}
	return nil
}

// keyword turns the bare words AND, OR and NOT into operators.
func keyword(tok token) token {
	if !tok.escaped && !tok.wildcard() {
		switch tok.text {
		case "AND":
			tok.kind = tAnd
		case "OR":
			tok.kind = tOr
		case "NOT":
			tok.kind = tNot
		}
	}
	return tok
}

// compactParts merges runs of stars: a** is a*, and **x** is *x*.
func compactParts(parts []string) []string {
	out := parts[:1]
	for i := 1; i < len(parts); i++ {
		if parts[i] == "" && i != len(parts)-1 {
			continue
		}
		out = append(out, parts[i])
	}
	return out
}
