package logquery

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseErrors(t *testing.T) {
	cases := []struct {
		q         string
		pos       int
		msg, hint string
	}{
		{`user_email:"a@b.c"`, 0, `unknown field "user_email"`, `did you mean "user_name"? (Auth0 keeps e-mail`},
		{`email:x`, 0, `unknown field "email"`, `"user_name"`},
		{`name:*usa`, 0, `unknown field "name"`, `"user_name"`},
		{`Type:s`, 0, `unknown field "Type"`, `case-sensitive: use "type"`},
		{`client:x`, 0, `unknown field "client"`, `"client_name"`},
		{`application:x`, 0, `unknown field "application"`, `"client_name"`},
		{`event:fp`, 0, `unknown field "event"`, `"type"`},
		{`type:s AND usr_name:x`, 11, `unknown field "usr_name"`, `did you mean "user_name"`},
		{`zzzzzz:x`, 0, `unknown field "zzzzzz"`, `Searchable fields: client_id, client_name`},
		{`details.error:x`, 0, `"details.error" is not searchable`, `does not index details`},
		{`isMobile:true`, 0, `"isMobile" is not searchable`, `Searchable fields`},
		{`user_name.raw:x`, 0, `unknown field "user_name.raw"`, `use "user_name"`},
		{`_exists_:user_name`, 0, `_exists_ queries are not supported`, `leave the condition out`},
		{`type*:s`, 0, `field names cannot contain wildcards`, ``},
		{`user_name:jo?n`, 12, `? wildcard is not supported`, `use *`},
		{`user_name:*sa`, 10, `wildcard "*sa" needs at least 3 literal characters`, `prefix like j*`},
		{`*sa`, 0, `at least 3 literal characters`, `*usa`},
		{`user_name:j*s`, 10, `at least 3 literal characters`, ``},
		{`type:*`, 5, `lone * would match every value`, `leave the condition out`},
		{`(type:s`, 0, `this ( is never closed`, `add the missing )`},
		{`((type:s)`, 0, `never closed`, ``},
		{`type:s)`, 6, `this ) has no matching (`, ``},
		{`()`, 0, `empty parentheses`, ``},
		{`type:s AND`, 7, `AND is followed by the end of the query`, `add a condition after AND`},
		{`type:s AND )`, 7, `AND is followed by )`, ``},
		{`AND type:s`, 0, `AND needs a condition before it`, ``},
		{`type:s OR OR type:f`, 7, `OR is followed by OR`, ``},
		{`NOT`, 0, `NOT is followed by the end of the query`, ``},
		{`type:s NOT type:f`, 7, `NOT after a term needs AND or OR`, `a AND NOT b`},
		{`type:s and type:f`, 7, `operator "and" must be upper-case`, `write AND`},
		{`type:`, 4, `type: has no value`, `type:"s"`},
		{`type: AND x`, 4, `type: has no value`, ``},
		{`type:""`, 5, `empty value`, ``},
		{`""`, 0, `empty value`, ``},
		{`description:"Wrong email`, 12, `unterminated quote`, `close the value with "`},
		{`user_name:jane~`, 14, `fuzzy and proximity searches (~) are not supported`, ``},
		{`"jane smith"~2`, 12, `(~) are not supported`, ``},
		{`type:s^2`, 6, `boosting (^) is not supported`, ``},
		{`/fu/`, 0, `regular expressions`, ``},
		{`user_name:/j.*/`, 10, `regular expressions`, ``},
		{`type:s && type:f`, 7, `&& is not supported`, `use AND`},
		{`type:s || type:f`, 7, `|| is not supported`, `use OR`},
		{`!type:s`, 0, `! is not supported`, `use NOT`},
		{`-type:s`, 0, `- prefix is not supported`, `NOT`},
		{`+type:s`, 0, `+ prefix is not supported`, `AND`},
		{`ip:>1.2.3.4`, 3, `comparison operators`, `range`},
		{`date:[2018-12-18 2018-12-19]`, 17, `range is missing TO`, `[from TO to]`},
		{`date:[2018-12-18 to *]`, 17, `TO in a range must be upper-case`, ``},
		{`date:[2018-12-18 TO *`, 5, `range is not closed`, ``},
		{`date:[2018-12-18`, 5, `range is not closed`, ``},
		{`date:[2018-12-18 TO]`, 19, `range bound is missing`, ``},
		{`date:[2018-12-18 TO * x]`, 22, `expected ] or } to close the range`, ``},
		{`date:[yesterday TO *]`, 5, `range bound "yesterday" is not a date`, `YYYY-MM-DD`},
		{`date:2018-13`, 5, `"2018-13" is not a date`, `YYYY-MM-DD`},
		{`date:"2019-02-30"`, 5, `not a date`, ``},
		{`date:2018*`, 5, `wildcards do not work on date`, `date:[2018-12 TO 2019-01}`},
		{`date:2019-01-01T01:00:00`, 18, `unexpected ':' in the value of date`, `escape each colon as \:`},
		{`log_id:[a* TO *]`, 8, `wildcards inside a range bound`, `lone *`},
		{`log_id:["" TO *]`, 8, `range bound is empty`, ``},
		{`[a TO b]`, 0, `a range needs a field`, `date:[`},
		{`] x`, 0, `unexpected ] without an opening bracket`, ``},
		{`: x`, 0, `unexpected ':'`, ``},
		{`ip:::1`, 2, `ip: has no value before the next ':'`, `ip:"::1"`},
		{`ip:-1`, 3, `- prefix is not supported`, `escape it as \-`},
		{`user_name:a\`, 11, `lone backslash`, `\\`},
		{"type:s\x00", 6, `control character U+0000 (NUL)`, `delete it`},
		{"\x1b[31mtype:s", 0, `control character U+001B (escape)`, ``},
		{"type:\"a\x7fb\"", 7, `U+007F (DEL)`, ``},
		{"é\u0085type:s", 2, `U+0085 (next line)`, ``},
		{"type:s\vOR type:f", 6, `U+000B (vertical tab)`, ``},
		{"user_name:\\\x01", 11, `U+0001`, ``},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			n, err := Parse(tc.q)
			require.Error(t, err, "parsed as %s", Render(n))
			var se *SyntaxError
			require.True(t, errors.As(err, &se), "error is %T", err)
			assert.Equal(t, tc.pos, se.Pos, "position; error: %v", err)
			assert.GreaterOrEqual(t, se.Len, 1)
			assert.LessOrEqual(t, se.Pos+se.Len, max(len(tc.q), se.Pos+1))
			assert.Contains(t, se.Msg, tc.msg)
			assert.Contains(t, se.Hint, tc.hint)
		})
	}
}

func TestSyntaxErrorText(t *testing.T) {
	_, err := Parse(`type:s AND user_email:x`)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(),
		`character 12: unknown field "user_email"; did you mean "user_name"? (Auth0 keeps e-mail addresses in user_name). Searchable fields: client_id, client_name,`),
		err.Error())

	noPos := &SyntaxError{Pos: -1, Msg: "m", Hint: "h"}
	assert.Equal(t, "m; h", noPos.Error())
	assert.Equal(t, "character 4: m", (&SyntaxError{Pos: 3, Msg: "m"}).Error(), "without Char, bytes from 1")
	assert.Equal(t, "character 2: m", (&SyntaxError{Pos: 3, Char: 2, Msg: "m"}).Error())
}

func TestHostileInput(t *testing.T) {
	t.Run("too long", func(t *testing.T) {
		_, err := Parse(strings.Repeat("a ", MaxQueryLen/2+1))
		var se *SyntaxError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, MaxQueryLen, se.Pos)
		assert.Contains(t, se.Msg, "4096-byte limit")
	})
	t.Run("too long once rendered", func(t *testing.T) {
		q := strings.Repeat("a ", MaxQueryLen/2-1) // fits, but each "a" renders as "a" OR
		require.LessOrEqual(t, len(q), MaxQueryLen)
		_, err := Parse(q)
		require.ErrorContains(t, err, "once written out in full")
	})
	t.Run("deep parentheses", func(t *testing.T) {
		q := strings.Repeat("(", 5000) + "a" + strings.Repeat(")", 5000)
		_, err := Parse(q[:MaxQueryLen])
		var se *SyntaxError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, maxNesting, se.Pos)
		assert.Contains(t, se.Msg, "nests")
	})
	t.Run("deep NOT chain", func(t *testing.T) {
		_, err := Parse(strings.Repeat("NOT ", MaxDepth+1) + "a")
		require.ErrorContains(t, err, "over the limit of 100")
		n, err := Parse(strings.Repeat("NOT ", MaxDepth) + "a")
		require.NoError(t, err)
		again, err := Parse(Render(n)) // renders as NOT (NOT (...)): twice the nesting
		require.NoError(t, err)
		assert.Equal(t, n, again)
	})
	t.Run("deep tree", func(t *testing.T) {
		q := "a"
		for range MaxDepth + 1 {
			q = "b OR (c AND (" + q + "))"
		}
		_, err := Parse(q)
		require.ErrorContains(t, err, "nests")
	})
}

func TestCompileErrors(t *testing.T) {
	cases := []struct {
		name string
		n    Node
		msg  string
	}{
		{"unknown field", FieldIn("user_email", "a@b.c"), `unknown field "user_email"`},
		{"short wildcard", &WildcardNode{Field: "user_name", Parts: []string{"", "sa"}}, "at least 3"},
		{"bad date", &TermNode{Field: "date", Value: "soon"}, "not a date"},
		{"bad date range", &RangeNode{Field: "date", From: Bound{Value: "x"}, To: Bound{Open: true}}, "not a date"},
		{"range without field", &RangeNode{From: Bound{Open: true}, To: Bound{Open: true}}, "needs a field"},
		{"empty and", &AndNode{}, "without conditions"},
		{"empty not", &NotNode{}, "NOT without a condition"},
		{"empty term", &TermNode{Field: "type"}, "empty value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(tc.n)
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, -1, se.Pos)
			assert.Contains(t, se.Msg, tc.msg)
			assert.False(t, strings.HasPrefix(err.Error(), "character "), "a tree built by code has no position: %v", err)
		})
	}
}
