package logquery

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics, that its errors point inside the query, and that
// whatever it accepts renders to a q it reads back as the same tree, which Compile accepts.
func FuzzParse(f *testing.F) {
	for _, tc := range exampleQueries {
		f.Add(tc.q)
	}
	for _, s := range []string{
		``, `   `, `(`, `)`, `((a)`, `a OR`, `NOT NOT a`, `a OR NOT b`, `a b AND c`, `"unterminated`,
		`type:(s OR f)`, `type:""`, `type:`, `*`, `**`, `a\`, `\*\?`, `user_name:*sa`, `jo?n`, `a~2`,
		`a^2`, `/re/`, `_exists_:x`, `date:[a TO b]`, `date:[2018 TO`, `[a TO b]`, `log_id:{"a\"b" TO \]}`,
		`user_name:\-\+\&\&*`, `"\u00e9t\u00e9" OR caf\u00e9*`, "a\u3000b", "x\xff\xfe*", `user_id:auth0|x`,
		`a:b:c`, `: x`, `] [ } {`, `AND OR NOT`, `and`, `type:s && x`, strings.Repeat("(", 300) + "a",
		strings.Repeat("NOT ", 120) + "a", `user_agent:Mozilla/5.0*`, `date:"2019-01-01T01:00:00Z"`,
		"type:s\x00", "\x1b[0m", "a\u0085b", "a\r\nb\tc", "é😀 AND",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		n, err := Parse(q)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error is %T, want *SyntaxError", q, err)
			}
			if se.Pos < 0 || se.Pos > len(q) || se.Len < 1 || se.Msg == "" ||
				se.Char < 1 || se.Char > utf8.RuneCountInString(q)+1 {
				t.Fatalf("Parse(%q) error has bad position or text: %+v", q, se)
			}
			return
		}
		r := Render(n)
		again, err := Parse(r)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its rendering %q fails: %v", q, r, err)
		}
		if r2 := Render(again); r2 != r {
			t.Fatalf("Parse(%q): rendering %q reads back as %q", q, r, r2)
		}
		if !reflect.DeepEqual(n, again) {
			t.Fatalf("Parse(%q): rendering %q reads back as a different tree", q, r)
		}
		if _, err := Compile(n); err != nil {
			t.Fatalf("Parse(%q) ok but Compile fails: %v", q, err)
		}
	})
}

// FuzzParsePaths: with field paths accepted, what parses renders back to the same tree, compiles,
// and splits into a searched part Auth0's syntax accepts and a filtered part that together select
// what the whole query selects.
func FuzzParsePaths(f *testing.F) {
	for _, s := range []string{
		`type:sapi AND details.request.body.enabled:false`, `security_context.ja4:*`, `details.x.#.y:1`,
		`details.@this:x`, `details.a\.b:c`, `NOT (type:s OR user_name.domain:X.io)`, `details.n:[1 TO 1e400]`,
		`details.n:{NaN TO *]`, `details:x`, `user_agent.family:curl OR ip:1.2.3.4`, `details.a*b:c`,
	} {
		f.Add(s)
	}
	events := pathEvents()
	f.Fuzz(func(t *testing.T, q string) {
		n, err := ParsePaths(q)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParsePaths(%q) error is %T, want *SyntaxError", q, err)
			}
			return
		}
		r := Render(n)
		again, err := ParsePaths(r)
		if err != nil || !reflect.DeepEqual(n, again) {
			t.Fatalf("ParsePaths(%q): rendering %q does not read back: %v", q, r, err)
		}
		whole, err := CompilePaths(n)
		if err != nil {
			t.Fatalf("ParsePaths(%q) ok but CompilePaths fails: %v", q, err)
		}
		searched, filtered := Split(n)
		s, err := Compile(searched)
		if err != nil {
			t.Fatalf("%q: the searched part %q is not Auth0 syntax: %v", q, Render(searched), err)
		}
		fm, err := CompilePaths(filtered)
		if err != nil {
			t.Fatalf("%q: the filtered part does not compile: %v", q, err)
		}
		for i := range events {
			e := &events[i]
			if whole.Match(e) != (s.Match(e) && fm.Match(e)) {
				t.Fatalf("%q: the split parts select otherwise than the whole on event %d", q, i)
			}
		}
	})
}
