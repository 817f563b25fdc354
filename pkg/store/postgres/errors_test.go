package postgres

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const rolePassword = "s3cret-Pa55word-never-shown"

// openFails opens with conn and returns the *Error, after checking that neither the password
// nor the connection string appear in its text.
func openFails(t *testing.T, conn, password string) *Error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e, err := Open(ctx, conn, Options{})
	if err == nil {
		e.Close()
		t.Fatal("Open succeeded, want an error")
	}
	var se *Error
	require.ErrorAs(t, err, &se)
	for _, secret := range []string{password, conn, url.QueryEscape(password)} {
		require.NotContains(t, err.Error(), secret, "the error leaks a secret")
	}
	return se
}

// withRole returns a connection string for a new role on a fresh database, after setup ran as
// the superuser with the database and role names substituted for {DB} and {ROLE}.
func withRole(t *testing.T, setup string) (conn, db string) {
	t.Helper()
	pgtestRequire(t)
	db = server.NewDatabase(t)
	role := "role_" + db
	server.MustExec(t, db, "CREATE ROLE "+role+" LOGIN PASSWORD '"+rolePassword+"'")
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = server.Exec(ctx, "postgres", "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)")
		_ = server.Exec(ctx, "postgres", "DROP ROLE IF EXISTS "+role)
	})
	if setup != "" {
		server.MustExec(t, db, strings.NewReplacer("{DB}", db, "{ROLE}", role).Replace(setup))
	}
	return server.UserConnString(role, rolePassword, db), db
}

func pgtestRequire(t *testing.T) {
	t.Helper()
	newDatabase(t) // skips or fails like every other test when PostgreSQL is missing
}

func TestUnreachableDatabaseSaysSoWithoutTheConnectionString(t *testing.T) {
	conn := "postgres://grafana:" + rolePassword + "@localhost/db?host=" + url.QueryEscape(filepath.Join(t.TempDir(), "no-server")) + "&connect_timeout=5"
	se := openFails(t, conn, rolePassword)
	require.Equal(t, ProblemUnreachable, se.Problem, se.Msg)
	require.Contains(t, se.Msg, "check the host and port")
}

func TestWrongPasswordSaysSoWithoutThePassword(t *testing.T) {
	conn, _ := withRole(t, "")
	wrong := strings.Replace(conn, url.QueryEscape(rolePassword), "Wrong-Pa55word-xyz", 1)
	require.NotEqual(t, conn, wrong)
	se := openFails(t, wrong, "Wrong-Pa55word-xyz")
	require.Equal(t, ProblemAuth, se.Problem, se.Msg)
	require.Equal(t, "28P01", se.Code)
}

func TestMissingDatabaseAndBadConnectionString(t *testing.T) {
	pgtestRequire(t)
	se := openFails(t, server.ConnString("no_such_db"), server.SuperuserPassword())
	require.Equal(t, ProblemNoDatabase, se.Problem, se.Msg)

	bad := "postgres://grafana:" + rolePassword + "@host:notaport/db"
	se = openFails(t, bad, rolePassword)
	require.Equal(t, ProblemConfig, se.Problem, se.Msg)
	require.Contains(t, se.Msg, "postgres://user:password@host")
}

func TestUserWithoutCreateRightCannotCreateTheSchema(t *testing.T) {
	conn, _ := withRole(t, "REVOKE CREATE ON DATABASE {DB} FROM PUBLIC")
	se := openFails(t, conn, rolePassword)
	require.Equal(t, ProblemPermission, se.Problem, se.Msg)
	require.Contains(t, se.Msg, "GRANT CREATE ON DATABASE")
}

func TestReadOnlyUserIsToldWhichGrantsAreMissing(t *testing.T) {
	conn, db := withRole(t, "")
	openEngine(t, server.ConnString(db), "owner") // the owner migrates
	role := "role_" + db
	server.MustExec(t, db, "GRANT USAGE ON SCHEMA auth0logs TO "+role+"; GRANT SELECT ON ALL TABLES IN SCHEMA auth0logs TO "+role)
	se := openFails(t, conn, rolePassword)
	require.Equal(t, ProblemReadOnly, se.Problem, se.Msg)
	require.Contains(t, se.Msg, "events: INSERT")
	require.Contains(t, se.Msg, "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA auth0logs")

	// Granted what the message asks for, the same user opens the migrated store.
	server.MustExec(t, db, "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA auth0logs TO "+role)
	openEngine(t, conn, "writer")
}

func TestReadOnlySessionsAreRefused(t *testing.T) {
	conn, _ := withRole(t, "ALTER ROLE {ROLE} SET default_transaction_read_only = on")
	se := openFails(t, conn, rolePassword)
	require.Equal(t, ProblemReadOnly, se.Problem, se.Msg)
	require.Contains(t, se.Msg, "read-only")
}
