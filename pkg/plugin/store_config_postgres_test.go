package plugin

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/store/postgres"
	"github.com/seed/auth0logs-datasource/pkg/store/postgres/pgtest"
)

const storeRolePassword = "Role-Pa55word-never-shown"

// TestPostgresStoreBadInputSaysWhichAndHowToFix opens the PostgreSQL store with four kinds of
// bad connection and checks that Save & test names each problem and its fix, fails, and shows
// neither the connection string nor its password.
func TestPostgresStoreBadInputSaysWhichAndHowToFix(t *testing.T) {
	srv := pgtest.Start(t)
	role := func(db, setup string) string {
		name := "role_" + db
		srv.MustExec(t, db, "CREATE ROLE "+name+" LOGIN PASSWORD '"+storeRolePassword+"'")
		if setup != "" {
			srv.MustExec(t, db, strings.ReplaceAll(strings.ReplaceAll(setup, "{DB}", db), "{ROLE}", name))
		}
		return srv.UserConnString(name, storeRolePassword, db)
	}
	readOnlyDB := srv.NewDatabase(t)
	owner, err := postgres.Open(context.Background(), srv.ConnString(readOnlyDB), postgres.Options{}) // migrates
	require.NoError(t, err)
	require.NoError(t, owner.Close())
	cases := []struct{ name, conn, want string }{
		{"unreachable", "postgres://grafana:" + storeRolePassword + "@localhost/db?connect_timeout=5&host=" +
			url.QueryEscape(filepath.Join(t.TempDir(), "no-server")), "check the host and port"},
		{"wrong password", srv.UserConnString(pgtest.Superuser, storeRolePassword, srv.NewDatabase(t)), "rejected the user name or password"},
		{"schema missing, user may not create it", role(srv.NewDatabase(t), "REVOKE CREATE ON DATABASE {DB} FROM PUBLIC"), "GRANT CREATE ON DATABASE"},
		{"read-only user", role(readOnlyDB, "GRANT USAGE ON SCHEMA auth0logs TO {ROLE}; GRANT SELECT ON ALL TABLES IN SCHEMA auth0logs TO {ROLE}"),
			"GRANT SELECT, INSERT, UPDATE, DELETE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rt := newRelTenant(t, relOptions{})
			s := rt.settings()
			var js map[string]any
			require.NoError(t, json.Unmarshal(s.JSONData, &js))
			js["storeEnabled"] = true
			s.JSONData, _ = json.Marshal(js)
			srt := &storeRuntime{load: func() (storeConfig, error) { return storeConfig{Engine: "postgres", PostgresURL: c.conn}, nil }}
			t.Cleanup(srt.close)
			inst, err := newInstance(context.Background(), s, srt)
			require.NoError(t, err)
			d := inst.(*Datasource)
			t.Cleanup(d.Dispose)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			res, err := d.CheckHealth(ctx, &backend.CheckHealthRequest{PluginContext: rt.pluginContext()})
			require.NoError(t, err)
			assert.Equal(t, backend.HealthStatusError, res.Status, res.Message)
			assert.Contains(t, res.Message, "PostgreSQL store")
			assert.Contains(t, res.Message, c.want)
			for _, secret := range []string{c.conn, storeRolePassword, srv.SuperuserPassword(), url.QueryEscape(storeRolePassword)} {
				assert.NotContains(t, res.Message, secret)
				assert.NotContains(t, string(res.JSONDetails), secret)
			}
		})
	}
}

func TestReplicaSentenceSaysWhoTailsAndHowTheBudgetIsShared(t *testing.T) {
	r := &replicaReport{Self: "grafana-2", Holder: "grafana-1", Epoch: 4, Live: true, Seen: 2}
	s := r.sentence()
	assert.Contains(t, s, "the tail runs on replica grafana-1 (lease epoch 4)")
	assert.Contains(t, s, "2 replica(s) seen")
	assert.Contains(t, s, "budget is shared in PostgreSQL")

	r.Live, r.BudgetLocal = false, "PostgreSQL is unreachable (database unreachable); this replica limits itself to 30 requests a minute"
	s = r.sentence()
	assert.Contains(t, s, "no replica holds the tail right now")
	assert.Contains(t, s, "limiting to its share: PostgreSQL is unreachable")

	r.Lease.Holding, r.Holder, r.Self = true, "grafana-2", "grafana-2"
	assert.Contains(t, r.sentence(), "this replica (grafana-2) holds the tail")
}
