package logquery

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// exampleQueries are the queries in Auth0's log search documentation, the API notes (section 3)
// and the seed documents, each with its canonical rendering and events it must and must not match.
var exampleQueries = []struct {
	q, render   string
	match, miss []*event.Event
}{
	{`type:"fu"`, `type:"fu"`, evs(evt("type", "fu")), evs(evt("type", "fua"), evt("type", "FU"), evt("description", "fu"))},
	{`description:"missing username parameter"`, `description:"missing username parameter"`,
		evs(evt("description", "missing username parameter")), evs(evt("description", "Missing username parameter"))},
	{`description:"Wrong email or password"`, `description:"Wrong email or password"`,
		evs(evt("description", "Wrong email or password")), evs(evt("description", "Wrong email or password."), evt("description", "email"))},
	{`description:"Username invalid"`, `description:"Username invalid"`, evs(evt("description", "Username invalid")), evs(evt("description", "Username"))},
	{`type:"limit_wc"`, `type:"limit_wc"`, evs(evt("type", "limit_wc")), evs(evt("type", "limit_mu"))},
	{`type:"pwd_leak"`, `type:"pwd_leak"`, evs(evt("type", "pwd_leak")), evs(evt("type", "pwd"))},
	{`type:"sapi"`, `type:"sapi"`, evs(evt("type", "sapi")), evs(evt("type", "s"))},
	{`type:"s" AND ip:"99.1.2.3"`, `type:"s" AND ip:"99.1.2.3"`,
		evs(evt("type", "s", "ip", "99.1.2.3")), evs(evt("type", "s", "ip", "99.1.2.4"), evt("type", "f", "ip", "99.1.2.3"))},
	{`user_id:"auth0|ABC123"`, `user_id:"auth0|ABC123"`, evs(evt("user_id", "auth0|ABC123")), evs(evt("user_id", "auth0|ABC1234"), evt("user_name", "auth0|ABC123"))},
	{`user_id:"123"`, `user_id:"123"`, evs(evt("user_id", "123")), evs(evt("user_id", "1234"))},
	{`type:depnote AND description:*logs*`, `type:"depnote" AND description:*logs*`,
		evs(evt("type", "depnote", "description", "Deprecated logs endpoint"), evt("type", "depnote", "description", "logs"), evt("type", "depnote", "description", "blogs")),
		evs(evt("type", "depnote", "description", "Logs"), evt("type", "s", "description", "logs"))},
	{`type:s OR type:f`, `type:"s" OR type:"f"`, evs(evt("type", "s"), evt("type", "f")), evs(evt("type", "fp"), evt("type", "ss"))},
	{`date:[2018-12-18 TO *]`, `date:[2018-12-18 TO *]`,
		evs(evt("date", "2018-12-18T00:00:00Z"), evt("date", "2025-01-01T00:00:00Z")), evs(evt("date", "2018-12-17T23:59:59.999Z"))},
	{`date:[* TO 2018-12-19}`, `date:[* TO 2018-12-19}`,
		evs(evt("date", "2018-12-18T23:59:59.999Z"), evt("date", "2001-01-01T00:00:00Z")), evs(evt("date", "2018-12-19T00:00:00Z"))},
	{`date:[2018-12 TO 2019-01-01}`, `date:[2018-12 TO 2019-01-01}`,
		evs(evt("date", "2018-12-01T00:00:00Z"), evt("date", "2018-12-31T23:59:59.999Z")),
		evs(evt("date", "2018-11-30T23:59:59.999Z"), evt("date", "2019-01-01T00:00:00Z"))},
	{`date:[2018-12-10 TO *]`, `date:[2018-12-10 TO *]`, evs(evt("date", "2018-12-10T00:00:00Z")), evs(evt("date", "2018-12-09T23:59:59.999Z"))},
	{`date:[2019-01-01T01:00:00 TO 2019-01-01T12:23:45}`, `date:[2019-01-01T01:00:00 TO 2019-01-01T12:23:45}`,
		evs(evt("date", "2019-01-01T01:00:00Z"), evt("date", "2019-01-01T12:23:44.999Z")),
		evs(evt("date", "2019-01-01T00:59:59.999Z"), evt("date", "2019-01-01T12:23:45Z"))},
	{`log_id:[90020181218000001 TO *]`, `log_id:[90020181218000001 TO *]`,
		evs(evt("log_id", "90020181218000001"), evt("log_id", "90020181218000002")), evs(evt("log_id", "90020181218000000"), evt())},
	{`user_name:j*`, `user_name:j*`, evs(evt("user_name", "j"), evt("user_name", "jane")), evs(evt("user_name", "Jane"), evt())},
	{`user_name:john*`, `user_name:john*`, evs(evt("user_name", "johnny")), evs(evt("user_name", "joh"))},
	{`description:*usa`, `description:*usa`, evs(evt("description", "usa"), evt("description", "from usa")), evs(evt("description", "usa!"), evt("description", "USA"))},
	{`connection:*pass*`, `connection:*pass*`, evs(evt("connection", "passwordless"), evt("connection", "my-pass")), evs(evt("connection", "Username-Password-Authentication"))},
	{`user_name:*fred*`, `user_name:*fred*`, evs(evt("user_name", "alfred@x.io")), evs(evt("user_name", "fre"))},
	{`type:s*`, `type:s*`, evs(evt("type", "s"), evt("type", "sapi")), evs(evt("type", "fs"))},
	{`user_name:jane*smith`, `user_name:jane*smith`, evs(evt("user_name", "jane.smith"), evt("user_name", "janesmith")), evs(evt("user_name", "jane.smithe"), evt("user_name", "janesmit"))},
	{`description:*rule`, `description:*rule`, evs(evt("description", "Create a rule")), evs(evt("description", "rules"))},
	{`description:rule`, `description:"rule"`, evs(evt("description", "rule")), evs(evt("description", "Create a rule"))},
	{`jane`, `"jane"`, evs(evt("user_name", "jane"), evt("connection", "jane"), evt("log_id", "jane")), evs(evt("user_id", "jane"), evt("user_agent", "jane"))},
	{`"customer log"`, `"customer log"`, evs(evt("description", "customer log")), evs(evt("description", "customer"))},
	{`log_id:[90020181218 TO *]`, `log_id:[90020181218 TO *]`, evs(evt("log_id", "9002018121800")), evs(evt("log_id", "9002018121"))},
}

func evs(e ...*event.Event) []*event.Event { return e }

func TestDocumentedExamples(t *testing.T) {
	for _, tc := range exampleQueries {
		t.Run(tc.q, func(t *testing.T) {
			n, err := Parse(tc.q)
			require.NoError(t, err)
			assert.Equal(t, tc.render, Render(n))
			again, err := Parse(Render(n))
			require.NoError(t, err)
			assert.Equal(t, n, again)

			m, err := Compile(n)
			require.NoError(t, err)
			for _, e := range tc.match {
				assert.True(t, m.Match(e), "should match %+v", *e)
			}
			for _, e := range tc.miss {
				assert.False(t, m.Match(e), "should not match %+v", *e)
			}
		})
	}
}

func TestParseTrees(t *testing.T) {
	term := func(f, v string) Node { return &TermNode{Field: f, Value: v} }
	cases := []struct {
		q    string
		want Node
	}{
		{"", nil},
		{"  \t\n", nil},
		{`type:s type:f`, Or(term("type", "s"), term("type", "f"))},
		{`a b AND c`, Or(term("", "a"), And(term("", "b"), term("", "c")))},
		{`a AND b OR c`, Or(And(term("", "a"), term("", "b")), term("", "c"))},
		{`NOT a AND b`, And(&NotNode{Node: term("", "a")}, term("", "b"))},
		{`(a AND b) AND (c AND d)`, And(term("", "a"), term("", "b"), term("", "c"), term("", "d"))},
		{`((a))`, term("", "a")},
		{`type:(s OR f) AND ip:1.2.3.4`, And(Or(term("type", "s"), term("type", "f")), term("ip", "1.2.3.4"))},
		{`type:(s OR user_name:x)`, Or(term("type", "s"), term("user_name", "x"))},
		{`type : s`, term("type", "s")},
		{`user_name:ab**c***`, &WildcardNode{Field: "user_name", Parts: []string{"ab", "c", ""}}},
		{`user_name:jo**`, &WildcardNode{Field: "user_name", Parts: []string{"jo", ""}}},
		{`user_name:"j*"`, term("user_name", "j*")},
		{`user_name:j\*`, term("user_name", "j*")},
		{`user_id:auth0\|x\ y`, term("user_id", "auth0|x y")},
		{`user_id:auth0|abc`, term("user_id", "auth0|abc")},
		{`description:"say \"hi\" \\ bye"`, term("description", `say "hi" \ bye`)},
		{`user_agent:Mozilla/5.0*`, &WildcardNode{Field: "user_agent", Parts: []string{"Mozilla/5.0", ""}}},
		{`type:not`, term("type", "not")},
		{`"AND"`, term("", "AND")},
		{`log_id:{"a b" TO c]`, &RangeNode{Field: "log_id", From: Bound{Value: "a b"}, To: Bound{Value: "c", Inclusive: true}}},
		{`log_id:[\* TO *}`, &RangeNode{Field: "log_id", From: Bound{Value: "*", Inclusive: true}, To: Bound{Open: true}}},
		{`NOT NOT a`, &NotNode{Node: &NotNode{Node: term("", "a")}}},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			got, err := Parse(tc.q)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
