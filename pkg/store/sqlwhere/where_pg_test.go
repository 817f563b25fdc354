package sqlwhere

import (
	"database/sql"
	"math/rand/v2"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/store/postgres/pgtest"
)

// TestWherePostgreSQLSelectsWhatMatcherMatches runs the property test against a real PostgreSQL
// (a throwaway cluster; skipped without the server binaries unless CI=true, see pgtest).
func TestWherePostgreSQLSelectsWhatMatcherMatches(t *testing.T) {
	srv := pgtest.Start(t)
	db, err := sql.Open("pgx", srv.ConnString(srv.NewDatabase(t)))
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec("CREATE TABLE dict (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL UNIQUE)")
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(17, 19))
	events := make([]*event.Event, 250)
	for i := range events {
		events[i] = randEvent(r)
	}
	tables := []table{{"plain", DefaultSchema(), PostgreSQL}, {"interned", internedSchema(), PostgreSQL}}
	for _, tb := range tables {
		loadEvents(t, db, tb, events)
	}
	queries := make([]logquery.Node, 0, 600+len(documented))
	for _, text := range documented {
		q, err := logquery.Parse(text)
		require.NoError(t, err, text)
		queries = append(queries, q)
	}
	for range 600 {
		queries = append(queries, randQuery(r, 3))
	}
	for _, q := range queries {
		want := matched(t, q, events)
		for _, tb := range tables {
			require.Equal(t, want, selected(t, db, tb, q), "%s table, query %s", tb.name, logquery.Render(q))
		}
	}
}
