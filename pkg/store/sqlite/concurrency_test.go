package sqlite

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

// Readers run beside the writer from the very first commit, which is also the one that makes
// the compression dictionary: every event a reader sees must decode, and every count must be
// of whole batches (a reader never sees half a commit).
func TestReadsBesideCommits(t *testing.T) {
	e, _ := openTemp(t)
	events := generated(t, 14)[:3000]
	var done atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for !done.Load() {
				n := 0
				if err := e.Scan(ctx, "t1", store.ScanQuery{}, func(*event.Event) error { n++; return nil }); err != nil {
					errs <- err
					return
				}
				if n%100 != 0 {
					errs <- errorf("a scan saw %d events, not whole batches of 100", n)
					return
				}
				q := store.AggQuery{Selection: store.Selection{From: testEnd.Add(-72 * time.Hour), To: testEnd},
					Buckets: aggregate.NewBuckets(testEnd.Add(-72*time.Hour), testEnd, time.Hour), Group: "type"}
				if _, err := e.Aggregate(ctx, "t1", q); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	commitAll(t, e, "t1", events)
	done.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, newestFirst(events), scanAll(t, e, "t1", store.ScanQuery{}))
}
