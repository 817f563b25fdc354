package plugin

import (
	"context"
	"log/slog"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
	"github.com/seed/auth0logs-datasource/pkg/store/postgres"
)

// postgresOpenTimeout bounds connecting and migrating when the first data source with the store
// on is built; past it Save & test says the database is unreachable instead of hanging.
const postgresOpenTimeout = 30 * time.Second

// openPostgres opens the shared store. Its errors are the engine's *postgres.Error, which name
// the problem (unreachable, credentials, missing schema, read-only user) and its fix, and never
// hold the connection string.
func openPostgres(cfg storeConfig) (*postgres.Engine, error) {
	ctx, cancel := context.WithTimeout(context.Background(), postgresOpenTimeout)
	defer cancel()
	return postgres.Open(ctx, cfg.PostgresURL, postgres.Options{Logger: slog.New(grafanaLogHandler{})})
}

// pgBudget is the tenant's request budget in PostgreSQL, shared by every replica's Auth0 client.
type pgBudget struct {
	eng    *postgres.Engine
	tenant string
}

var _ auth0.SharedBudget = pgBudget{}

// Take maps the client's priority onto the engine's and reserves one request.
func (b pgBudget) Take(ctx context.Context, rpm int, p auth0.Priority) (time.Duration, error) {
	pp := postgres.Interactive
	switch {
	case p >= auth0.PriorityAlert:
		pp = postgres.Alert
	case p <= auth0.PriorityBackground:
		pp = postgres.Background
	}
	return b.eng.Take(ctx, b.tenant, rpm, pp)
}

// grafanaLogHandler sends the engine's slog records to Grafana's plugin logger, so its warnings
// (the budget falling back to this replica's share) land in Grafana's log with the plugin's.
type grafanaLogHandler struct{ attrs []any }

func (h grafanaLogHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h grafanaLogHandler) Handle(_ context.Context, r slog.Record) error {
	args := append([]any(nil), h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		args = append(args, a.Key, a.Value.String())
		return true
	})
	switch {
	case r.Level >= slog.LevelError:
		log.DefaultLogger.Error(r.Message, args...)
	case r.Level >= slog.LevelWarn:
		log.DefaultLogger.Warn(r.Message, args...)
	case r.Level >= slog.LevelInfo:
		log.DefaultLogger.Info(r.Message, args...)
	default:
		log.DefaultLogger.Debug(r.Message, args...)
	}
	return nil
}

func (h grafanaLogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	attrs := append([]any(nil), h.attrs...)
	for _, a := range as {
		attrs = append(attrs, a.Key, a.Value.String())
	}
	return grafanaLogHandler{attrs: attrs}
}

// WithGroup is flat: the engine logs no groups.
func (h grafanaLogHandler) WithGroup(string) slog.Handler { return h }
