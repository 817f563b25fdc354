package sqlwhere

import (
	"fmt"
	"strings"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
)

// Where returns the SQL condition that selects exactly the events logquery.Compile(n) matches, and
// its bind arguments in order. argOffset is how many arguments the caller's statement binds before
// this expression (it numbers PostgreSQL's $n; SQLite ignores it). A nil n gives a condition that
// is always true. n is validated as logquery.Compile does, with the same errors.
//
// Dates compare as Unix milliseconds: exact for events dated to the millisecond, as Auth0's are. An
// event with a finer date (only possible from hand-written input) is compared by its millisecond.
func Where(n logquery.Node, d Dialect, s Schema, argOffset int) (string, []any, error) {
	if _, err := logquery.Compile(n); err != nil {
		return "", nil, err
	}
	b := &builder{d: d, s: s, offset: argOffset}
	if err := b.node(n); err != nil {
		return "", nil, err
	}
	return b.sb.String(), b.args, nil
}

func (b *builder) node(n logquery.Node) error {
	if isNil(n) {
		b.str("(1=1)")
		return nil
	}
	switch v := n.(type) {
	case *logquery.AndNode:
		return b.join(v.Nodes, " AND ")
	case *logquery.OrNode:
		if field, values, ok := sameFieldTerms(v.Nodes); ok {
			return b.leaf(field, func(x string) {
				b.str(x + " IN (")
				for i, val := range values {
					if i > 0 {
						b.str(", ")
					}
					b.arg(val)
				}
				b.str(")")
			})
		}
		return b.join(v.Nodes, " OR ")
	case *logquery.NotNode:
		b.str("NOT ")
		return b.node(v.Node)
	case *logquery.TermNode:
		if v.Field == "date" {
			start, end, _ := logquery.DatePeriod(v.Value)
			b.dateRange(start, end, true, true)
			return nil
		}
		return b.each(v.Field, func(x string) { b.str(x + " = "); b.arg(v.Value) })
	case *logquery.WildcardNode:
		return b.each(v.Field, func(x string) { b.pattern(x, v.Parts) })
	case *logquery.RangeNode:
		if v.Field == "date" {
			b.dateBounds(v.From, v.To)
			return nil
		}
		return b.leaf(v.Field, func(x string) { b.stringRange(x, v.From, v.To) })
	default:
		return fmt.Errorf("unsupported query node %T", n)
	}
}

// join writes the non-nil children in parentheses; Compile has already refused an empty list.
func (b *builder) join(nodes []logquery.Node, op string) error {
	b.str("(")
	first := true
	for _, c := range nodes {
		if isNil(c) {
			continue
		}
		if !first {
			b.str(op)
		}
		first = false
		if err := b.node(c); err != nil {
			return err
		}
	}
	b.str(")")
	return nil
}

// sameFieldTerms recognises an event-type style filter (type:a OR type:b ...), which becomes IN so
// that an index on the column serves it in one pass.
func sameFieldTerms(nodes []logquery.Node) (string, []string, bool) {
	field := ""
	values := make([]string, 0, len(nodes))
	for _, c := range nodes {
		t, ok := c.(*logquery.TermNode)
		if !ok || t == nil || t.Field == "" || t.Field == "date" || field != "" && t.Field != field {
			return "", nil, false
		}
		field = t.Field
		values = append(values, t.Value)
	}
	return field, values, field != ""
}

// each writes pred for a field, or for every default search field of a bare term.
func (b *builder) each(field string, pred func(x string)) error {
	if field != "" {
		return b.leaf(field, pred)
	}
	b.str("(")
	for i, f := range event.DefaultSearchFields {
		if i > 0 {
			b.str(" OR ")
		}
		if err := b.leaf(f, pred); err != nil {
			return err
		}
	}
	b.str(")")
	return nil
}

// leaf writes pred over the field's value: the column itself, or the dictionary values its ids
// point to.
func (b *builder) leaf(field string, pred func(x string)) error {
	c, ok := b.s[field]
	if !ok {
		return fmt.Errorf("the store's schema has no column for field %q", field)
	}
	if c.Dict == "" {
		b.str("(")
		pred(c.Name)
		b.str(")")
		return nil
	}
	b.str("(" + c.Name + " IN (SELECT id FROM " + c.Dict + " WHERE ")
	pred("v")
	b.str("))")
	return nil
}

// pattern writes a *-only wildcard with every other character literal.
func (b *builder) pattern(x string, parts []string) {
	esc := make([]string, len(parts))
	for i, p := range parts {
		esc[i] = escapePattern(b.d, p)
	}
	if b.d == PostgreSQL {
		b.str(x + " LIKE ")
		b.arg(strings.Join(esc, "%"))
		b.str(` ESCAPE '\'`)
		return
	}
	b.str(x + " GLOB ")
	b.arg(strings.Join(esc, "*"))
}

// escapePattern makes a literal match itself: GLOB has no escape character, so its metacharacters
// go into one-character classes; LIKE escapes with a backslash.
func escapePattern(d Dialect, s string) string {
	var sb strings.Builder
	for _, r := range s {
		switch {
		case d == SQLite && (r == '*' || r == '?' || r == '['):
			sb.WriteByte('[')
			sb.WriteRune(r)
			sb.WriteByte(']')
		case d == PostgreSQL && (r == '%' || r == '_' || r == '\\'):
			sb.WriteByte('\\')
			sb.WriteRune(r)
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// stringRange compares bytes; an empty (absent) value is in no range, as in logquery.
func (b *builder) stringRange(x string, from, to logquery.Bound) {
	b.str(x + " <> ''")
	cx := x
	if b.d == PostgreSQL {
		cx = x + ` COLLATE "C"`
	}
	if !from.Open {
		op := " > "
		if from.Inclusive {
			op = " >= "
		}
		b.str(" AND " + cx + op)
		b.arg(from.Value)
	}
	if !to.Open {
		op := " < "
		if to.Inclusive {
			op = " <= "
		}
		b.str(" AND " + cx + op)
		b.arg(to.Value)
	}
}

// dateBounds mirrors logquery's compileRange: a bound names a period, so an inclusive lower bound
// starts at the period's start, an exclusive one at its end, and the other way round above.
func (b *builder) dateBounds(from, to logquery.Bound) {
	var lo, hi time.Time
	if !from.Open {
		start, end, _ := logquery.DatePeriod(from.Value)
		lo = end
		if from.Inclusive {
			lo = start
		}
	}
	if !to.Open {
		start, end, _ := logquery.DatePeriod(to.Value)
		hi = start
		if to.Inclusive {
			hi = end
		}
	}
	b.dateRange(lo, hi, !from.Open, !to.Open)
}

// dateRange writes lo <= date < hi. Stored dates are whole milliseconds, so a bound between two
// milliseconds rounds up: date >= 1.5 ms holds from 2 ms on, and date < 1.5 ms up to 1 ms.
func (b *builder) dateRange(lo, hi time.Time, hasLo, hasHi bool) {
	switch {
	case !hasLo && !hasHi:
		b.str("(1=1)")
		return
	case hasLo && hasHi:
		b.str("(" + DateColumn + " >= ")
		b.arg(CeilMillis(lo))
		b.str(" AND " + DateColumn + " < ")
		b.arg(CeilMillis(hi))
	case hasLo:
		b.str("(" + DateColumn + " >= ")
		b.arg(CeilMillis(lo))
	default:
		b.str("(" + DateColumn + " < ")
		b.arg(CeilMillis(hi))
	}
	b.str(")")
}

// Millis is how a store keeps a date: Unix milliseconds rounded down (toward the past).
func Millis(t time.Time) int64 {
	ms := t.Unix() * 1000
	return ms + int64(t.Nanosecond()/1e6)
}

// CeilMillis is t in Unix milliseconds rounded up, for bounds: a whole-millisecond date d is at or
// after t exactly when d >= CeilMillis(t).
func CeilMillis(t time.Time) int64 {
	ms := Millis(t)
	if t.Nanosecond()%1e6 != 0 {
		ms++
	}
	return ms
}

// isNil also catches typed nil pointers passed as a Node.
func isNil(n logquery.Node) bool {
	switch v := n.(type) {
	case nil:
		return true
	case *logquery.TermNode:
		return v == nil
	case *logquery.WildcardNode:
		return v == nil
	case *logquery.RangeNode:
		return v == nil
	case *logquery.AndNode:
		return v == nil
	case *logquery.OrNode:
		return v == nil
	case *logquery.NotNode:
		return v == nil
	}
	return false
}
