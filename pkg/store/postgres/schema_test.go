package postgres

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

func TestMigrationsRunOnceWhenReplicasOpenTogether(t *testing.T) {
	conn := newDatabase(t)
	const replicas = 6
	var wg sync.WaitGroup
	errs := make([]error, replicas)
	engines := make([]*Engine, replicas)
	start := make(chan struct{})
	for i := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			engines[i], errs[i] = Open(context.Background(), conn, Options{ReplicaID: fmt.Sprint("r", i)})
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "replica %d", i)
		defer engines[i].Close()
	}
	ctx := testContext(t)
	pc, err := pgx.Connect(ctx, conn)
	require.NoError(t, err)
	defer pc.Close(ctx)
	var versions []int
	rows, err := pc.Query(ctx, "SELECT version FROM auth0logs.schema_version ORDER BY version")
	require.NoError(t, err)
	versions, err = pgx.CollectRows(rows, pgx.RowTo[int])
	require.NoError(t, err)
	want := []int{}
	for v := 1; v <= latest(); v++ {
		want = append(want, v)
	}
	require.Equal(t, want, versions, "each migration is recorded exactly once")
	var locks int
	require.NoError(t, pc.QueryRow(ctx, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").Scan(&locks))
	require.Zero(t, locks, "the migration lock must not outlive its transaction")

	// Every replica works on the one schema.
	epoch, held, err := engines[0].AcquireLease(ctx, tenantKey, "r0", 60e9)
	require.NoError(t, err)
	require.True(t, held)
	_, held, err = engines[5].AcquireLease(ctx, tenantKey, "r5", 60e9)
	require.NoError(t, err)
	require.False(t, held)
	require.Positive(t, epoch)
}

func TestNewerSchemaIsRefusedWithUpgradeAdvice(t *testing.T) {
	conn := newDatabase(t)
	openEngine(t, conn, "r1")
	ctx := testContext(t)
	pc, err := pgx.Connect(ctx, conn)
	require.NoError(t, err)
	defer pc.Close(ctx)
	_, err = pc.Exec(ctx, "INSERT INTO auth0logs.schema_version (version) VALUES ($1)", latest()+1)
	require.NoError(t, err)
	_, err = Open(ctx, conn, Options{})
	var se *Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, ProblemSchema, se.Problem)
	require.Contains(t, se.Msg, "upgrade the plugin")
}

func TestSchemasInOneDatabaseAreIndependent(t *testing.T) {
	conn := newDatabase(t)
	ctx := testContext(t)
	a, err := Open(ctx, conn, Options{Schema: "store_a"})
	require.NoError(t, err)
	defer a.Close()
	b, err := Open(ctx, conn, Options{Schema: "store_b"})
	require.NoError(t, err)
	defer b.Close()
	commitAll(t, a, tenantKey, lease(t, a, "x"), generated(t, 300)[:100], 50)
	st, err := b.State(ctx, tenantKey)
	require.NoError(t, err)
	require.Zero(t, st.Events)
	_, err = Open(ctx, conn, Options{Schema: "Bad-Name; DROP"})
	require.Error(t, err)
}
