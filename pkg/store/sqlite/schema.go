package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/seed/auth0logs-datasource/pkg/store/sqlwhere"
)

// dictTable holds each interned string once; AUTOINCREMENT so that an id is never reused after a
// string is dropped, which keeps every cached id -> string mapping true for the engine's life.
const dictTable = "strs"

// interned are the fields kept as ids into dictTable: few distinct values, long strings. Fields
// that identify a person (user_id, user_name, ip) or may name one (description) stay in the
// events rows, so deleting a user's events deletes every trace of them and the dictionary never
// needs cleaning.
var interned = map[string]bool{
	"client_id": true, "client_name": true, "connection": true, "connection_id": true,
	"hostname": true, "organization_id": true, "strategy": true,
	"strategy_type": true, "user_agent": true, sqlwhere.CountryField: true,
}

// schema is how the events table lays out the fields, for sqlwhere.
var schema = func() sqlwhere.Schema {
	s := sqlwhere.DefaultSchema()
	for f := range interned {
		s[f] = sqlwhere.Column{Name: f, Dict: dictTable}
	}
	return s
}()

// eventColumns are the events table's value columns in insert order: the date, then each field,
// then the location (an interned JSON document) and the compressed rest of the event.
var eventColumns = func() []string {
	cols := []string{sqlwhere.DateColumn, "idh"}
	cols = append(cols, sqlwhere.StringFields()...)
	return append(cols, "loc", "raw")
}()

func eventsDDL() string {
	var sb strings.Builder
	sb.WriteString("CREATE TABLE events (id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL, ")
	sb.WriteString(sqlwhere.DateColumn + " INTEGER NOT NULL, idh INTEGER NOT NULL")
	for _, f := range sqlwhere.StringFields() {
		typ := "TEXT"
		if interned[f] {
			typ = "INTEGER"
		}
		sb.WriteString(", " + f + " " + typ + " NOT NULL")
	}
	sb.WriteString(", loc INTEGER NOT NULL, raw BLOB NOT NULL)")
	return sb.String()
}

// migrations are applied in order, each once; a database records how many it has had. Never edit
// one that has shipped: add another.
var migrations = []string{
	// 1: tenants, the string dictionary, zstd dictionaries and events with the indexes the queries
	// need: every query names a tenant and a date range, most a set of types, and the anomaly
	// charts rank the ip and country of failures, so the type index carries those two and answers
	// them without reading rows. idh (a hash of log_id) finds an id again for deduplication at
	// 8 bytes an entry instead of the id's 56. rollup holds counts per minute and type, which
	// answer the time-series counts (most panels, every alert rule) without touching events.
	`CREATE TABLE tenants (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,
		segments TEXT NOT NULL DEFAULT '[]', conflicts INTEGER NOT NULL DEFAULT 0,
		events INTEGER NOT NULL DEFAULT 0);
	CREATE TABLE ` + dictTable + ` (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL UNIQUE);
	CREATE TABLE zdicts (id INTEGER PRIMARY KEY, content BLOB NOT NULL);
	` + eventsDDL() + `;
	CREATE INDEX events_date ON events (tenant, ` + sqlwhere.DateColumn + `);
	CREATE INDEX events_type ON events (tenant, type, ` + sqlwhere.DateColumn + `, ip, country);
	CREATE INDEX events_idh ON events (tenant, idh);
	CREATE TABLE rollup (tenant INTEGER NOT NULL, minute INTEGER NOT NULL, type TEXT NOT NULL,
		n INTEGER NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL,
		PRIMARY KEY (tenant, minute, type)) WITHOUT ROWID;`,
}

// migrate brings the schema to len(migrations) in one transaction, or refuses a newer database.
func migrate(ctx context.Context, db *sql.DB, path string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); err != nil {
		return err
	}
	var version int
	err = tx.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&version)
	switch {
	case err == sql.ErrNoRows:
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_version (version) VALUES (0)"); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("%w: %s has schema version %d and this plugin knows up to %d. Upgrade the "+
			"plugin, or point it at another file (the newer one is left as it is)",
			ErrTooNew, path, version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("schema migration %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE schema_version SET version = ?", len(migrations)); err != nil {
		return err
	}
	return tx.Commit()
}
