package logquery

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Render writes n as a q string Auth0 accepts, in one canonical form: exact values quoted,
// wildcard patterns bare with special characters escaped, and parentheses wherever AND, OR and
// NOT mix, because Lucene's parser does not give unparenthesised mixes their usual meaning. For
// any tree Parse returns, Parse(Render(n)) returns an equal tree. nil renders as "".
func Render(n Node) string {
	var b strings.Builder
	render(&b, n)
	return b.String()
}

func render(b *strings.Builder, n Node) {
	if isNil(n) {
		return
	}
	switch v := n.(type) {
	case *TermNode:
		writeField(b, v.Field)
		writeQuoted(b, v.Value)
	case *WildcardNode:
		writeField(b, v.Field)
		writePattern(b, v.Parts)
	case *RangeNode:
		writeField(b, v.Field)
		renderRange(b, v)
	case *AndNode:
		renderJoined(b, v.Nodes, " AND ", func(c Node) bool {
			_, isNot := c.(*NotNode)
			return !isLeaf(c) && !isNot
		})
	case *OrNode:
		renderJoined(b, v.Nodes, " OR ", func(c Node) bool { return !isLeaf(c) })
	case *NotNode:
		b.WriteString("NOT ")
		renderChild(b, v.Node, !isLeaf(v.Node))
	}
}

// renderJoined writes children with sep, parenthesising those for which paren says so. Lucene
// reads "a OR NOT b" as "a AND NOT b", hence NOT inside OR is always parenthesised.
func renderJoined(b *strings.Builder, nodes []Node, sep string, paren func(Node) bool) {
	first := true
	for _, c := range nodes {
		if isNil(c) {
			continue
		}
		if !first {
			b.WriteString(sep)
		}
		first = false
		renderChild(b, c, paren(c))
	}
}

func renderChild(b *strings.Builder, n Node, paren bool) {
	if paren {
		b.WriteByte('(')
	}
	render(b, n)
	if paren {
		b.WriteByte(')')
	}
}

func isLeaf(n Node) bool {
	switch n.(type) {
	case *TermNode, *WildcardNode, *RangeNode:
		return true
	}
	return false
}

func writeField(b *strings.Builder, field string) {
	if field != "" {
		b.WriteString(field)
		b.WriteByte(':')
	}
}

// writeQuoted writes an exact value; inside quotes only " and \ need escaping.
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

// alwaysEscaped are characters Lucene (or this parser) reads as syntax anywhere in a bare term;
// startEscaped only at its start.
const (
	alwaysEscaped = `\():^[]"{}~*?!/&|`
	startEscaped  = `+-<>`
)

// writePattern writes a wildcard pattern bare, escaping every literal character that could be
// read as syntax, so the only live stars are the wildcards.
func writePattern(b *strings.Builder, parts []string) {
	start := true
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('*')
			start = false
		}
		for j := 0; j < len(p); {
			r, w := utf8.DecodeRuneInString(p[j:])
			if strings.ContainsRune(alwaysEscaped, r) || unicode.IsSpace(r) ||
				(start && strings.ContainsRune(startEscaped, r)) {
				b.WriteByte('\\')
			}
			b.WriteString(p[j : j+w])
			start = false
			j += w
		}
	}
}

func renderRange(b *strings.Builder, r *RangeNode) {
	if r.From.Inclusive {
		b.WriteByte('[')
	} else {
		b.WriteByte('{')
	}
	writeBound(b, r.From)
	b.WriteString(" TO ")
	writeBound(b, r.To)
	if r.To.Inclusive {
		b.WriteByte(']')
	} else {
		b.WriteByte('}')
	}
}

// writeBound writes a range end bare when that reads back unchanged (dates such as
// 2026-11-20T00:00:00.000Z, as Auth0's documentation writes them) and quoted otherwise.
func writeBound(b *strings.Builder, bd Bound) {
	if bd.Open {
		b.WriteByte('*')
		return
	}
	if bareBound(bd.Value) {
		b.WriteString(bd.Value)
		return
	}
	writeQuoted(b, bd.Value)
}

func bareBound(s string) bool {
	if s == "" || s == "TO" {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || strings.ContainsRune(`"\[]{}*?`, r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}
