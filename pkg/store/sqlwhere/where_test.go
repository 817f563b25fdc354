package sqlwhere

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
)

// internedSchema keeps the repetitive fields as ids into a dictionary, as the SQLite engine does,
// so both ways of storing a field are checked.
func internedSchema() Schema {
	s := DefaultSchema()
	for _, f := range []string{"client_id", "client_name", "connection", "description", "user_agent", "strategy", CountryField} {
		s[f] = Column{Name: f, Dict: "dict"}
	}
	return s
}

// table is a table of events laid out by a schema, in one dialect's database.
type table struct {
	name   string
	schema Schema
	d      Dialect
}

// mark is the n-th (from 1) placeholder in the dialect's spelling.
func mark(d Dialect, n int) string {
	if d == PostgreSQL {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}

func loadEvents(t *testing.T, db *sql.DB, tb table, events []*event.Event) {
	cols := []string{"id BIGINT PRIMARY KEY", DateColumn + " BIGINT NOT NULL"}
	for _, f := range StringFields() {
		typ := "TEXT"
		if tb.schema[f].Dict != "" {
			typ = "BIGINT"
		}
		cols = append(cols, tb.schema[f].Name+" "+typ+" NOT NULL")
	}
	_, err := db.Exec(fmt.Sprintf("CREATE TABLE %s (%s)", tb.name, strings.Join(cols, ", ")))
	require.NoError(t, err)
	for i, e := range events {
		names := []string{"id", DateColumn}
		args := []any{i, Millis(e.Date)}
		for _, f := range StringFields() {
			v := Value(e, f)
			names = append(names, tb.schema[f].Name)
			if tb.schema[f].Dict == "" {
				args = append(args, v)
				continue
			}
			_, err := db.Exec("INSERT INTO dict (v) VALUES ("+mark(tb.d, 1)+") ON CONFLICT DO NOTHING", v)
			require.NoError(t, err)
			var id int64
			require.NoError(t, db.QueryRow("SELECT id FROM dict WHERE v = "+mark(tb.d, 1), v).Scan(&id))
			args = append(args, id)
		}
		marks := make([]string, len(names))
		for j := range marks {
			marks[j] = mark(tb.d, j+1)
		}
		_, err := db.Exec(fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", tb.name, strings.Join(names, ","),
			strings.Join(marks, ",")), args...)
		require.NoError(t, err)
	}
}

func openTestDB(t *testing.T, events []*event.Event) (*sql.DB, []table) {
	db, err := sql.Open("sqlite", ":memory:")
	require.NoError(t, err)
	db.SetMaxOpenConns(1) // one connection: each :memory: connection is its own database
	t.Cleanup(func() { _ = db.Close() })
	_, err = db.Exec("CREATE TABLE dict (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)")
	require.NoError(t, err)
	tables := []table{{"plain", DefaultSchema(), SQLite}, {"interned", internedSchema(), SQLite}}
	for _, tb := range tables {
		loadEvents(t, db, tb, events)
	}
	return db, tables
}

// selected runs the condition for n and returns the ids of the rows it selects.
func selected(t *testing.T, db *sql.DB, tb table, n logquery.Node) []int {
	// One argument of our own first, so PostgreSQL's numbering is checked to start after it.
	cond, args, err := Where(n, tb.d, tb.schema, 1)
	require.NoError(t, err)
	rows, err := db.Query("SELECT id FROM "+tb.name+" WHERE id >= "+mark(tb.d, 1)+" AND "+cond+" ORDER BY id",
		append([]any{0}, args...)...)
	require.NoError(t, err, cond)
	defer rows.Close()
	var ids []int
	for rows.Next() {
		var id int
		require.NoError(t, rows.Scan(&id))
		ids = append(ids, id)
	}
	require.NoError(t, rows.Err())
	return ids
}

func matched(t *testing.T, n logquery.Node, events []*event.Event) []int {
	m, err := logquery.Compile(n)
	require.NoError(t, err)
	var ids []int
	for i, e := range events {
		if m.Match(e) {
			ids = append(ids, i)
		}
	}
	return ids
}

func TestWhereSelectsWhatMatcherMatches(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	events := make([]*event.Event, 400)
	for i := range events {
		events[i] = randEvent(r)
	}
	db, tables := openTestDB(t, events)
	hits, total := 0, 0
	for range 1500 {
		q := randQuery(r, 3)
		want := matched(t, q, events)
		for _, tb := range tables {
			require.Equal(t, want, selected(t, db, tb, q), "%s table, query %s", tb.name, logquery.Render(q))
		}
		hits += len(want)
		total += len(events)
	}
	// Guard against a generator that only makes queries matching nothing or everything.
	require.Greater(t, hits, total/10)
	require.Less(t, hits, total*9/10)
}

// documented are the queries of Auth0's log search documentation, the API notes and the seed
// documents (the list pkg/logquery's examples test checks), plus literals that SQL treats
// specially.
var documented = []string{
	`type:"fu"`, `description:"missing username parameter"`, `description:"Wrong email or password"`,
	`description:"Username invalid"`, `type:"limit_wc"`, `type:"pwd_leak"`, `type:"sapi"`,
	`type:"s" AND ip:"99.1.2.3"`, `user_id:"auth0|ABC123"`, `user_id:"123"`,
	`type:depnote AND description:*logs*`, `type:s OR type:f`, `date:[2018-12-18 TO *]`,
	`date:[* TO 2018-12-19}`, `date:[2018-12 TO 2019-01-01}`, `date:[2018-12-10 TO *]`,
	`date:[2019-01-01T01:00:00 TO 2019-01-01T12:23:45}`, `log_id:[90020181218000001 TO *]`,
	`user_name:j*`, `user_name:john*`, `description:*usa`, `connection:*pass*`, `user_name:*fred*`,
	`type:s*`, `user_name:jane*smith`, `description:*rule`, `description:rule`, `jane`,
	`"customer log"`, `log_id:[90020181218 TO *]`, `NOT type:s`, `NOT type:f AND user_name:j*`,
	`date:2019-01-01`, `date:"2019-01-01T01:00:00.5"`, `date:{2018-12-31T23 TO 2019-01-01T01:00]`,
	`user_name:"a*b?c[d]"`, `user_name:a*b\?c\[d\]*`, `client_name:a\]*`, `description:*\\slash*`,
	`user_name:*0%_done`, `client_id:*a_c`, `client_id:a%c`, `user_name:"o'brien"`,
	`user_name:"he said \"hi\""`, `description:*🙂\ ok`, `user_agent:Zo*`, `client_name:"ünïcode app"`,
	`user_name:[j TO k}`, `client_name:{* TO app]`, `connection:pass\*`,
}

func TestWhereDocumentedQueries(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	events := make([]*event.Event, 300)
	for i := range events {
		events[i] = randEvent(r)
	}
	db, tables := openTestDB(t, events)
	for _, text := range documented {
		q, err := logquery.Parse(text)
		require.NoError(t, err, text)
		want := matched(t, q, events)
		for _, tb := range tables {
			require.Equal(t, want, selected(t, db, tb, q), "%s table, query %s", tb.name, text)
		}
	}
}

func TestWhereNilMatchesEverything(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	events := []*event.Event{randEvent(r), randEvent(r), {}}
	db, tables := openTestDB(t, events)
	for _, tb := range tables {
		require.Equal(t, []int{0, 1, 2}, selected(t, db, tb, nil))
		require.Equal(t, []int{0, 1, 2}, selected(t, db, tb, (*logquery.TermNode)(nil)))
	}
}

func TestWhereRefusesWhatCompileRefuses(t *testing.T) {
	for _, n := range []logquery.Node{
		&logquery.TermNode{Field: "nope", Value: "x"},
		&logquery.TermNode{Field: "type", Value: ""},
		&logquery.WildcardNode{Field: "type", Parts: []string{"", ""}},
		&logquery.RangeNode{Field: "date", From: logquery.Bound{Value: "yesterday"}, To: logquery.Bound{Open: true}},
		&logquery.NotNode{},
	} {
		_, _, err := Where(n, SQLite, DefaultSchema(), 0)
		require.Error(t, err, "%#v", n)
	}
}

func TestWherePostgreSQLSpelling(t *testing.T) {
	q, err := logquery.Parse(`type:(s OR f) AND user_name:a%_\\b* AND ip:[1 TO 2}`)
	require.NoError(t, err)
	cond, args, err := Where(q, PostgreSQL, DefaultSchema(), 2)
	require.NoError(t, err)
	require.Equal(t, `((type IN ($3, $4)) AND (user_name LIKE $5 ESCAPE '\') AND `+
		`(ip <> '' AND ip COLLATE "C" >= $6 AND ip COLLATE "C" < $7))`, cond)
	require.Equal(t, []any{"s", "f", `a\%\_\\b%`, "1", "2"}, args)
	require.False(t, slices.Contains(strings.Split(cond, " "), "?"))
}
