package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/seed/auth0logs-datasource/pkg/store"
)

// Commit stores a batch in one transaction: its events (identical repeats dropped, ids seen again
// with other content counted as conflicts and not stored), the tenant's counters and its segments
// merged with the batch's. A failure leaves nothing of the batch behind.
func (e *Engine) Commit(ctx context.Context, tenant string, b store.Batch) (store.CommitResult, error) {
	if e.closed.Load() {
		return store.CommitResult{}, store.ErrClosed
	}
	e.wmu.Lock()
	defer e.wmu.Unlock()
	prev := e.codec.Load()
	res, p, tid, err := e.commit(ctx, tenant, b)
	if err != nil {
		// A dictionary made for this batch never reached the file: forget it, or the next one
		// would reuse its id with other content.
		e.codec.Store(prev)
		return store.CommitResult{}, e.wrap("commit", err)
	}
	p.publish()
	e.tenants.Store(tenant, tid)
	return res, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tenantID finds the tenant's number; with create, a tenant seen for the first time gets one.
func (e *Engine) tenantID(ctx context.Context, q querier, tenant string, create bool) (int64, bool, error) {
	if id, ok := e.tenants.Load(tenant); ok {
		return id.(int64), true, nil
	}
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM tenants WHERE key = ?", tenant).Scan(&id)
	if err == sql.ErrNoRows && create {
		err = q.QueryRowContext(ctx, "INSERT INTO tenants (key) VALUES (?) RETURNING id", tenant).Scan(&id)
	}
	if err == sql.ErrNoRows {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	if !create {
		e.tenants.Store(tenant, id) // a committed row; the writer caches only after its commit
	}
	return id, true, nil
}

func (e *Engine) commit(ctx context.Context, tenant string, b store.Batch) (res store.CommitResult, p *pending, tid int64, err error) {
	tx, err := e.w.BeginTx(ctx, nil)
	if err != nil {
		return res, nil, 0, err
	}
	defer func() { _ = tx.Rollback() }()
	if tid, _, err = e.tenantID(ctx, tx, tenant, true); err != nil {
		return res, nil, 0, err
	}
	if p, err = e.dict.begin(ctx, tx); err != nil {
		return res, nil, 0, err
	}
	defer p.close()
	rows := make([]row, len(b.Events))
	for i := range b.Events {
		if rows[i], err = toRow(ctx, p, &b.Events[i]); err != nil {
			return res, nil, 0, err
		}
	}
	c := e.codec.Load()
	if c.dictID == 0 && len(rows) >= dictSamples {
		if c, err = e.seedDictionary(ctx, tx, c, rows); err != nil {
			return res, nil, 0, err
		}
		// Readers must know the dictionary before they can see a row that uses it.
		e.codec.Store(c)
	}
	if res, err = e.insert(ctx, tx, c, tid, rows); err != nil {
		return res, nil, 0, err
	}
	if err = updateTenant(ctx, tx, tid, b.Segment, res); err != nil {
		return res, nil, 0, err
	}
	return res, p, tid, tx.Commit()
}

// seedDictionary makes the first zstd dictionary from a batch's events, spread over the batch.
func (e *Engine) seedDictionary(ctx context.Context, tx *sql.Tx, c *codec, rows []row) (*codec, error) {
	samples := make([][]byte, 0, dictSamples*2)
	step := max(1, len(rows)/(dictSamples*2))
	for i := len(rows) - 1; i >= 0; i -= step {
		samples = append(samples, rows[i].residual)
	}
	n, id, content, err := c.withDict(samples)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO zdicts (id, content) VALUES (?, ?)", id, content); err != nil {
		return nil, err
	}
	return n, nil
}

func (e *Engine) insert(ctx context.Context, tx *sql.Tx, c *codec, tid int64, rows []row) (store.CommitResult, error) {
	var res store.CommitResult
	find, err := tx.PrepareContext(ctx, "SELECT "+selectColumns+" FROM events WHERE tenant = ? AND idh = ? AND log_id = ?")
	if err != nil {
		return res, err
	}
	defer find.Close()
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(eventColumns)+1), ", ")
	ins, err := tx.PrepareContext(ctx, "INSERT INTO events (tenant, "+selectColumns+") VALUES ("+marks+")")
	if err != nil {
		return res, err
	}
	defer ins.Close()
	logIDAt := 2 + fieldIndex("log_id")
	typeAt := 2 + fieldIndex("type")
	counts := map[rollKey]*rollVal{}
	old := newScanned()
	for _, r := range rows {
		err := find.QueryRowContext(ctx, tid, r.values[1], r.values[logIDAt]).Scan(old.targets()...)
		switch {
		case err == nil:
			same, err := sameContent(c, old, r)
			if err != nil {
				return res, err
			}
			if same {
				res.Duplicates++
			} else {
				res.Conflicts++
			}
			continue
		case err != sql.ErrNoRows:
			return res, err
		}
		args := make([]any, 0, len(r.values)+2)
		args = append(append(append(args, tid), r.values...), c.enc.EncodeAll(r.residual, nil))
		if _, err := ins.ExecContext(ctx, args...); err != nil {
			return res, err
		}
		res.Stored++
		countInto(counts, r.values[0].(int64), r.values[typeAt].(string))
	}
	return res, rollupAdd(ctx, tx, tid, counts)
}

// sameContent compares a stored row with a new one field by field, the residual uncompressed (its
// compressed bytes depend on the dictionary in use when it was written).
func sameContent(c *codec, old *scanned, r row) (bool, error) {
	if old.dateMs != r.values[0].(int64) || old.loc != r.values[len(r.values)-1].(int64) {
		return false, nil
	}
	for i, v := range old.fields {
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
		if v != r.values[2+i] {
			return false, nil
		}
	}
	plain, err := c.dec.DecodeAll(old.raw, nil)
	if err != nil {
		return false, fmt.Errorf("%w: a stored event does not decompress: %v", ErrDamaged, err)
	}
	return bytes.Equal(plain, r.residual), nil
}

func fieldIndex(field string) int {
	for i, f := range eventColumns[2:] {
		if f == field {
			return i
		}
	}
	return -1
}

// updateTenant merges the batch's segment and adds its counts to the tenant's row.
func updateTenant(ctx context.Context, tx *sql.Tx, tid int64, seg store.Segment, res store.CommitResult) error {
	var doc string
	if err := tx.QueryRowContext(ctx, "SELECT segments FROM tenants WHERE id = ?", tid).Scan(&doc); err != nil {
		return err
	}
	var held []store.Segment
	if err := json.Unmarshal([]byte(doc), &held); err != nil {
		return fmt.Errorf("%w: the tenant's segments are not valid JSON: %v", ErrDamaged, err)
	}
	if seg != (store.Segment{}) {
		held = store.MergeSegments(held, seg)
	}
	out, err := json.Marshal(held)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE tenants SET segments = ?, conflicts = conflicts + ?, events = events + ? WHERE id = ?",
		string(out), res.Conflicts, res.Stored, tid)
	return err
}
