package logquery

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

var (
	from = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	to   = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
)

const rangeQ = `date:[2026-11-20T00:00:00.000Z TO 2026-11-21T00:00:00.000Z}`

func mustParse(t testing.TB, q string) Node {
	t.Helper()
	n, err := Parse(q)
	require.NoError(t, err)
	return n
}

func TestCompose(t *testing.T) {
	cases := []struct{ user, want string }{
		{``, rangeQ},
		{`type:fu`, `type:"fu" AND ` + rangeQ},
		{`type:s OR type:f`, `(type:"s" OR type:"f") AND ` + rangeQ},
		{`type:s AND ip:1.2.3.4`, `type:"s" AND ip:"1.2.3.4" AND ` + rangeQ},
		{`NOT type:s`, `NOT type:"s" AND ` + rangeQ},
		{`a b`, `("a" OR "b") AND ` + rangeQ},
	}
	for _, tc := range cases {
		t.Run(tc.user, func(t *testing.T) {
			q := Compose(mustParse(t, tc.user), from, to)
			assert.Equal(t, tc.want, q)
			n := mustParse(t, q) // our own parser reads back what we send
			assert.Equal(t, q, Render(n))
		})
	}
}

func TestComposeTimes(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	q := Compose(nil, from.In(paris), to.Add(-time.Millisecond).In(paris))
	assert.Equal(t, `date:[2026-11-20T00:00:00.000Z TO 2026-11-20T23:59:59.999Z}`, q)
	assert.Equal(t, `date:[* TO 2026-11-21T00:00:00.000Z}`, Compose(nil, time.Time{}, to))

	m, err := Compile(mustParse(t, Compose(mustParse(t, "type:s"), from, to)))
	require.NoError(t, err)
	assert.True(t, m.Match(evt("type", "s", "date", "2026-11-20T00:00:00Z")), "from is inclusive")
	assert.True(t, m.Match(evt("type", "s", "date", "2026-11-20T23:59:59.999Z")))
	assert.False(t, m.Match(evt("type", "s", "date", "2026-11-21T00:00:00Z")), "to is exclusive")
	assert.False(t, m.Match(evt("type", "s", "date", "2026-11-19T23:59:59.999Z")))
	assert.False(t, m.Match(evt("type", "f", "date", "2026-11-20T12:00:00Z")))
}

func TestFieldIn(t *testing.T) {
	assert.Equal(t, `type:"fu" OR type:"fp"`, Render(FieldIn("type", "fu", "fp", "fu")))
	assert.Equal(t, &TermNode{Field: "type", Value: "s"}, FieldIn("type", "s"))
	assert.Nil(t, FieldIn("type"))
	assert.Equal(t, `(type:"fu" OR type:"fp") AND `+rangeQ, Compose(FieldIn("type", "fu", "fp"), from, to))
	assert.Equal(t, `type:"say \"hi\""`, Render(FieldIn("type", `say "hi"`)))
}

func TestAndOr(t *testing.T) {
	a, b, c := &TermNode{Value: "a"}, &TermNode{Value: "b"}, &TermNode{Value: "c"}
	var typedNil *TermNode
	assert.Nil(t, And())
	assert.Nil(t, And(nil, typedNil))
	assert.Same(t, a, And(nil, a, nil))
	assert.Same(t, a, Or(a))
	assert.Equal(t, &AndNode{Nodes: []Node{a, b, c}}, And(And(a, b), nil, c))
	assert.Equal(t, &OrNode{Nodes: []Node{a, b, c}}, Or(a, Or(b, c)))
	assert.Equal(t, &AndNode{Nodes: []Node{&OrNode{Nodes: []Node{a, b}}, c}}, And(Or(a, b), c))
}

func TestRenderParenthesisesMixes(t *testing.T) {
	a, b, c := &TermNode{Value: "a"}, &TermNode{Value: "b"}, &TermNode{Value: "c"}
	cases := []struct {
		n    Node
		want string
	}{
		{Or(And(a, b), c), `("a" AND "b") OR "c"`},
		{And(Or(a, b), c), `("a" OR "b") AND "c"`},
		{Or(a, &NotNode{Node: b}), `"a" OR (NOT "b")`},
		{And(a, &NotNode{Node: b}), `"a" AND NOT "b"`},
		{&NotNode{Node: &NotNode{Node: a}}, `NOT (NOT "a")`},
		{&NotNode{Node: Or(a, b)}, `NOT ("a" OR "b")`},
		{&AndNode{Nodes: []Node{&AndNode{Nodes: []Node{a, b}}, c}}, `("a" AND "b") AND "c"`},
		{nil, ``},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, Render(tc.n))
	}
}

func TestRenderEscaping(t *testing.T) {
	cases := []struct {
		n    Node
		want string
	}{
		{&WildcardNode{Field: "user_name", Parts: []string{"-a b:c", ""}}, `user_name:\-a\ b\:c*`},
		{&WildcardNode{Parts: []string{"", `x(y)"z\`, ""}}, `*x\(y\)\"z\\*`},
		{&WildcardNode{Parts: []string{"a*b?", ""}}, `a\*b\?*`},
		{&WildcardNode{Parts: []string{"", "a-b+c"}}, `*a-b+c`},
		{&WildcardNode{Parts: []string{"&&x", ""}}, `\&\&x*`},
		{&RangeNode{Field: "log_id", From: Bound{Value: "a b", Inclusive: true}, To: Bound{Value: "TO"}}, `log_id:["a b" TO "TO"}`},
		{&RangeNode{Field: "log_id", From: Bound{Value: "*"}, To: Bound{Open: true, Inclusive: true}}, `log_id:{"*" TO *]`},
		{&TermNode{Field: "description", Value: `a "b" \c`}, `description:"a \"b\" \\c"`},
	}
	for _, tc := range cases {
		got := Render(tc.n)
		assert.Equal(t, tc.want, got)
		assert.Equal(t, tc.n, mustParse(t, got), "parse back %s", got)
	}
}

func TestFields(t *testing.T) {
	assert.Nil(t, Fields(nil))
	assert.Equal(t, []string{"date", "type", "user_name"},
		Fields(mustParse(t, `type:s AND (user_name:j* OR NOT date:[2018 TO *]) OR type:f`)))
	assert.Equal(t, []string{"client_name", "connection", "description", "ip", "log_id", "type", "user_name"},
		Fields(mustParse(t, `jane AND type:s`)))
}

func TestMatcherNil(t *testing.T) {
	m, err := Compile(nil)
	require.NoError(t, err)
	assert.True(t, m.Match(evt()))
	var none *Matcher
	assert.True(t, none.Match(evt()))
}

func TestString(t *testing.T) {
	n := mustParse(t, `type:s OR user_name:j*`)
	assert.Equal(t, Render(n), n.String())
}

func TestDateRangeToIncludesTheUpperBound(t *testing.T) {
	from := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	to := from.Add(90 * time.Minute)
	q := Render(DateRangeTo(from, to, true))
	assert.Equal(t, "date:[2026-11-20T00:00:00.000Z TO 2026-11-20T01:30:00.000Z]", q)
	n, err := Parse(q)
	require.NoError(t, err)
	m, err := Compile(n)
	require.NoError(t, err)
	assert.True(t, m.Match(&event.Event{Date: to}), "the upper bound is included")
	assert.False(t, m.Match(&event.Event{Date: to.Add(time.Millisecond)}))
	assert.Equal(t, Render(DateRange(from, to)), q[:len(q)-1]+"}", "DateRange differs only in the closing bracket")
}
