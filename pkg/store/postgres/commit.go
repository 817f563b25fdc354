package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

// Commit stores a batch in one transaction that first checks the writer's lease: the batch's
// Fence must be the tenant's current epoch and the lease unexpired by the database's clock, both
// checked again just before the commit while the lease row is locked, so no takeover can slip in
// between. A writer that lost the lease gets store.ErrFenced and nothing is written. The commit
// NOTIFYs the tenant's channel, which PostgreSQL delivers only if it commits.
func (e *Engine) Commit(ctx context.Context, tenant string, b store.Batch) (store.CommitResult, error) {
	var res store.CommitResult
	if err := e.check(); err != nil {
		return res, err
	}
	if err := e.ensureDict(ctx, b.Events); err != nil {
		return res, err
	}
	rows, res, err := prepareRows(b.Events, &e.blobs)
	if err != nil {
		return store.CommitResult{}, err
	}
	tid, _, err := e.tenantID(ctx, tenant, true)
	if err != nil {
		return store.CommitResult{}, err
	}
	err = pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
		return e.commitTx(ctx, tx, tid, tenant, b, rows, &res)
	})
	if errors.Is(err, store.ErrFenced) {
		return store.CommitResult{}, store.ErrFenced
	}
	if err != nil {
		return store.CommitResult{}, e.scrub.classify("committing events", err)
	}
	return res, nil
}

// prepareRows encodes the batch and settles repeats inside it: the first of an id wins, an
// identical repeat is a duplicate and a different one a conflict.
func prepareRows(events []event.Event, bl *blobs) ([]row, store.CommitResult, error) {
	var res store.CommitResult
	seen := make(map[string]int, len(events))
	rows := make([]row, 0, len(events))
	for i := range events {
		r, err := encodeRow(&events[i], bl)
		if err != nil {
			return nil, res, err
		}
		if j, ok := seen[r.logID]; ok {
			if bytes.Equal(rows[j].hash, r.hash) {
				res.Duplicates++
			} else {
				res.Conflicts++
			}
			continue
		}
		seen[r.logID] = len(rows)
		rows = append(rows, r)
	}
	return rows, res, nil
}

// commitTx is the transaction's body. A writer frozen inside it (SIGSTOP) would keep the lease
// row locked and so block the takeover; the idle-in-transaction timeout makes the server end such
// a session instead.
func (e *Engine) commitTx(ctx context.Context, tx pgx.Tx, tid int32, tenant string, b store.Batch, rows []row, res *store.CommitResult) error {
	if _, err := tx.Exec(ctx, "SELECT set_config('idle_in_transaction_session_timeout', '10s', true)"); err != nil {
		return err
	}
	var epoch int64
	var live bool
	err := tx.QueryRow(ctx, `SELECT epoch, expires_at > clock_timestamp() FROM leases
		WHERE tenant_id = $1 FOR SHARE`, tid).Scan(&epoch, &live)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && (epoch != b.Fence || !live) {
		return store.ErrFenced
	}
	if err != nil {
		return err
	}
	var segJSON []byte
	if err := tx.QueryRow(ctx, "SELECT segments FROM tenants WHERE id = $1 FOR UPDATE", tid).Scan(&segJSON); err != nil {
		return err
	}
	added, err := insertRows(ctx, tx, tid, rows, res)
	if err != nil {
		return err
	}
	var held []store.Segment
	if err := json.Unmarshal(segJSON, &held); err != nil {
		return fmt.Errorf("the tenant's stored segments are unreadable: %w", err)
	}
	if b.Segment != (store.Segment{}) {
		held = store.MergeSegments(held, b.Segment)
	}
	segJSON, err = json.Marshal(held)
	if err != nil {
		return err
	}
	// The lease is checked once more by the database's clock at the last moment: a writer that
	// stalled after the first check must not commit on an expired lease.
	tag, err := tx.Exec(ctx, `UPDATE tenants SET segments = $2, events = events + $3, bytes = bytes + $4,
		conflicts = conflicts + $5
		WHERE id = $1 AND EXISTS (SELECT 1 FROM leases WHERE tenant_id = $1 AND epoch = $6
			AND expires_at > clock_timestamp())`,
		tid, segJSON, res.Stored, added, res.Conflicts, b.Fence)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return store.ErrFenced
	}
	_, err = tx.Exec(ctx, "SELECT pg_notify($1, '')", e.channel(tenant))
	return err
}

// insertRows writes the new rows and sorts the others into duplicates and conflicts by their
// content hash. It returns the bytes added.
func insertRows(ctx context.Context, tx pgx.Tx, tid int32, rows []row, res *store.CommitResult) (int64, error) {
	if len(rows) == 0 {
		return 0, nil
	}
	cols := make([][]string, len(columns))
	for i := range cols {
		cols[i] = make([]string, len(rows))
	}
	ids := make([]string, len(rows))
	dates := make([]int64, len(rows))
	hashes := make([][]byte, len(rows))
	blobs := make([][]byte, len(rows))
	sizes := make([]int32, len(rows))
	for i := range rows {
		r := &rows[i]
		ids[i], dates[i], hashes[i], blobs[i], sizes[i] = r.logID, r.dateMS, r.hash, r.blob, r.size
		for c := range columns {
			cols[c][i] = r.values[c]
		}
	}
	args := []any{tid, dates, hashes, blobs, sizes}
	for c := range columns {
		args = append(args, cols[c])
	}
	var inserted []string
	var added int64
	err := tx.QueryRow(ctx, insertSQL, args...).Scan(&inserted, &added)
	if err != nil {
		return 0, err
	}
	res.Stored += len(inserted)
	if len(inserted) == len(rows) {
		return added, nil
	}
	stored := make(map[string]bool, len(inserted))
	for _, id := range inserted {
		stored[id] = true
	}
	var others []string
	for _, id := range ids {
		if !stored[id] {
			others = append(others, id)
		}
	}
	return added, settleRepeats(ctx, tx, tid, rows, others, res)
}

// settleRepeats compares ids already held with the batch's content.
func settleRepeats(ctx context.Context, tx pgx.Tx, tid int32, rows []row, ids []string, res *store.CommitResult) error {
	want := make(map[string][]byte, len(ids))
	for i := range rows {
		want[rows[i].logID] = rows[i].hash
	}
	got, err := tx.Query(ctx, "SELECT log_id, hash FROM events WHERE tenant_id = $1 AND log_id = ANY($2)", tid, ids)
	if err != nil {
		return err
	}
	var id string
	var hash []byte
	_, err = pgx.ForEachRow(got, []any{&id, &hash}, func() error {
		if bytes.Equal(want[id], hash) {
			res.Duplicates++
		} else {
			res.Conflicts++
		}
		return nil
	})
	return err
}

// insertSQL inserts the batch from one array per column in a single round trip and returns the
// ids it wrote and their bytes; ids already held are left as they are.
var insertSQL = func() string {
	names := []string{"date_ms", "hash", "raw", "size"}
	sel := []string{"u.date_ms", "u.hash", "u.raw", "u.size"}
	arrays := []string{"$2::bigint[]", "$3::bytea[]", "$4::bytea[]", "$5::integer[]"}
	for i, c := range columns {
		names = append(names, c)
		sel = append(sel, "u."+c)
		arrays = append(arrays, fmt.Sprintf("$%d::text[]", i+6))
	}
	return fmt.Sprintf(`WITH ins AS (
	INSERT INTO events (tenant_id, %s)
	SELECT $1, %s FROM unnest(%s) AS u(%s)
	ON CONFLICT (tenant_id, log_id) DO NOTHING
	RETURNING log_id, size)
SELECT coalesce(array_agg(log_id), '{}'), coalesce(sum(size), 0) FROM ins`,
		strings.Join(names, ", "), strings.Join(sel, ", "), strings.Join(arrays, ", "), strings.Join(names, ", "))
}()
