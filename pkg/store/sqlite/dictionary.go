package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// dictionary caches the interned strings both ways. Ids are never reused (AUTOINCREMENT), so
// a cached pair stays true; only strings added by a commit that rolled back must not be
// remembered, which is why a commit interns through a pending set published after it commits.
type dictionary struct {
	mu    sync.RWMutex
	ids   map[string]int64
	texts map[int64]string
}

func newDictionary() *dictionary {
	return &dictionary{ids: map[string]int64{}, texts: map[int64]string{}}
}

func (d *dictionary) load(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "SELECT id, v FROM "+dictTable)
	if err != nil {
		return err
	}
	defer rows.Close()
	d.mu.Lock()
	defer d.mu.Unlock()
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return err
		}
		d.ids[v], d.texts[id] = id, v
	}
	return rows.Err()
}

// text returns the string of id, reading the table when the cache does not have it (a string
// another process added, or one dropped since).
func (d *dictionary) text(ctx context.Context, db *sql.DB, id int64) (string, error) {
	d.mu.RLock()
	v, ok := d.texts[id]
	d.mu.RUnlock()
	if ok {
		return v, nil
	}
	if err := db.QueryRowContext(ctx, "SELECT v FROM "+dictTable+" WHERE id = ?", id).Scan(&v); err != nil {
		return "", fmt.Errorf("string %d of the dictionary: %w", id, err)
	}
	d.mu.Lock()
	d.texts[id] = v
	d.mu.Unlock()
	return v, nil
}

// forget drops everything cached, after strings were deleted from the table.
func (d *dictionary) forget() {
	d.mu.Lock()
	d.ids, d.texts = map[string]int64{}, map[int64]string{}
	d.mu.Unlock()
}

// pending interns strings inside one write transaction.
type pending struct {
	d     *dictionary
	tx    *sql.Tx
	added map[string]int64
	find  *sql.Stmt
	ins   *sql.Stmt
}

func (d *dictionary) begin(ctx context.Context, tx *sql.Tx) (*pending, error) {
	find, err := tx.PrepareContext(ctx, "SELECT id FROM "+dictTable+" WHERE v = ?")
	if err != nil {
		return nil, err
	}
	ins, err := tx.PrepareContext(ctx, "INSERT INTO "+dictTable+" (v) VALUES (?)")
	if err != nil {
		return nil, err
	}
	return &pending{d: d, tx: tx, added: map[string]int64{}, find: find, ins: ins}, nil
}

func (p *pending) id(ctx context.Context, v string) (int64, error) {
	p.d.mu.RLock()
	id, ok := p.d.ids[v]
	p.d.mu.RUnlock()
	if ok {
		return id, nil
	}
	if id, ok := p.added[v]; ok {
		return id, nil
	}
	err := p.find.QueryRowContext(ctx, v).Scan(&id)
	if err == sql.ErrNoRows {
		res, ierr := p.ins.ExecContext(ctx, v)
		if ierr != nil {
			return 0, ierr
		}
		id, err = res.LastInsertId()
	}
	if err != nil {
		return 0, err
	}
	p.added[v] = id
	return id, nil
}

// publish remembers the strings of a committed transaction.
func (p *pending) publish() {
	p.d.mu.Lock()
	for v, id := range p.added {
		p.d.ids[v], p.d.texts[id] = id, v
	}
	p.d.mu.Unlock()
}

func (p *pending) close() {
	_ = p.find.Close()
	_ = p.ins.Close()
}
