package plugin

import (
	"context"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/source"
	"github.com/seed/auth0logs-datasource/pkg/store"
	"github.com/seed/auth0logs-datasource/pkg/store/postgres"
	"github.com/seed/auth0logs-datasource/pkg/store/sqlite"
)

// storeRuntime is the process's tenant log store: one engine and one registry of tails, shared by
// every data-source instance, because Grafana runs one plugin process and rebuilds instances on
// every settings save. It opens on first use, so a Grafana whose data sources keep the store off
// never creates a file.
type storeRuntime struct {
	load func() (storeConfig, error)
	// clock drives the tails and says what "now" is to the router; nil is the wall clock. Tests
	// set one whose now is the emulated tenant's, so they do not depend on the day they run.
	clock store.Clock

	mu       sync.Mutex
	cfg      storeConfig
	engine   store.Engine
	registry *store.Registry
	// pg is the engine when it is PostgreSQL: the replicas' lease, budget and status live there.
	pg *postgres.Engine
	// rebuilt names where a damaged store file was moved aside, for Save & test to say.
	rebuilt string
}

// processStore is the runtime of the plugin process; tests build their own.
var processStore = &storeRuntime{load: func() (storeConfig, error) { return loadStoreConfig(os.Getenv, os.Executable) }}

// open returns the engine and registry, opening them on first use. A failure is not remembered:
// the admin may fix the directory and save the data source again.
func (r *storeRuntime) open() (store.Engine, *store.Registry, storeConfig, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.engine != nil {
		return r.engine, r.registry, r.cfg, nil
	}
	cfg, err := r.load()
	if err != nil {
		return nil, nil, cfg, err
	}
	if cfg.Engine == "postgres" {
		pg, err := openPostgres(cfg)
		if err != nil {
			return nil, nil, cfg, err
		}
		r.cfg, r.engine, r.pg = cfg, pg, pg
		r.registry = store.NewRegistry(store.RegistryOptions{Clock: r.clock, LeaseTTL: cfg.LeaseTTL})
		return pg, r.registry, cfg, nil
	}
	if err := cfg.prepareDir(); err != nil {
		return nil, nil, cfg, err
	}
	eng, moved, err := sqlite.OpenOrRebuild(cfg.sqlitePath(), sqlite.Options{})
	if err != nil {
		return nil, nil, cfg, err
	}
	if moved != "" {
		r.rebuilt = moved
		log.DefaultLogger.Warn("the tenant log store file was damaged; it was moved aside and the store starts empty", "moved", moved)
	}
	r.cfg, r.engine, r.registry = cfg, eng, store.NewRegistry(store.RegistryOptions{Clock: r.clock})
	return eng, r.registry, cfg, nil
}

// close stops every tail and closes the engine; the plugin process is ending.
func (r *storeRuntime) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.registry != nil {
		r.registry.Close()
	}
	if r.engine != nil {
		_ = r.engine.Close()
	}
	r.engine, r.registry, r.pg = nil, nil, nil
}

// Shutdown stops the process's tenant log tails and closes the store: with PostgreSQL it hands
// each tail's lease over at once, so another replica takes over without waiting for its expiry.
// The plugin's main calls it after datasource.Manage returns.
func Shutdown() { processStore.close() }

// postgresEngine is the runtime's PostgreSQL engine, nil with the embedded store.
func (r *storeRuntime) postgresEngine() *postgres.Engine {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pg
}

// tenantKey names a tenant in the store: its API origin, so two data sources on one tenant share
// one tail and one copy of the events whatever their names, while an emulator on another port is
// another tenant.
func tenantKey(s models.Settings) string {
	u, err := url.Parse(s.BaseURL())
	if err != nil {
		return strings.ToLower(s.BaseURL())
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// tenantStore is a data source's attachment to the store: its handle on the tenant's tail and
// the router's view of the tenant; err says why the store is not in use although it is on.
type tenantStore struct {
	runtime *storeRuntime
	handle  *store.Handle
	tenant  *source.Tenant
	err     error
	// pg and key are set with the PostgreSQL engine, for the replicas' part of Save & test.
	pg  *postgres.Engine
	key string
}

// attachStore starts (or joins) the tenant's tail when the data source has the store on. An error
// leaves the data source working on demand; Save & test and each query's notices say why.
func attachStore(rt *storeRuntime, s models.Settings, ss models.StoreSettings, client *auth0.Client) tenantStore {
	if !ss.Enabled {
		return tenantStore{}
	}
	eng, reg, cfg, err := rt.open()
	if err != nil {
		return tenantStore{err: err}
	}
	key := tenantKey(s)
	h, err := reg.Acquire(key, store.TailConfig{
		Engine:            eng,
		Reader:            client,
		PollInterval:      ss.Poll(),
		RequestsPerMinute: int(s.RequestsPerMinute),
		BackfillDays:      backfillDays(ss),
		StoreRetention:    time.Duration(ss.RetentionDays) * 24 * time.Hour,
		MaxBytes:          cfg.MaxBytes,
		Logger:            log.DefaultLogger,
		Clock:             rt.clock,
	})
	if err != nil {
		return tenantStore{err: err}
	}
	pg := rt.postgresEngine()
	if pg != nil {
		// Every replica's requests for this tenant, the tail's and the on-demand reads', draw
		// from one budget in the database.
		client.ShareBudget(pgBudget{eng: pg, tenant: key})
	}
	// A caught-up tail polls every PollInterval; a query ending now is answered from the store
	// while the newest complete time is within two polls and a margin of the clock.
	slack := 2*ss.Poll() + 10*time.Second
	now := time.Now
	if rt.clock != nil {
		now = rt.clock.Now
	}
	return tenantStore{runtime: rt, handle: h, pg: pg, key: key,
		tenant: &source.Tenant{Engine: eng, Key: key, Slack: slack, Now: now, Auth0From: auth0From(h)}}
}

// backfillDays maps the setting to the tail's convention, where 0 is the default and negative none.
func backfillDays(ss models.StoreSettings) int {
	if ss.BackfillDays == 0 {
		return -1
	}
	return int(ss.BackfillDays)
}

// release lets the tail go; it stops after the registry's grace period unless another instance
// (the one Grafana built on a settings save) holds it.
func (t tenantStore) release() {
	if t.handle != nil {
		t.handle.Release()
	}
}

// auth0From is since when Auth0 still holds the tenant's logs, as the tail learned it: where the
// backfill found nothing older, or the end of the newest stretch lost while nothing tailed.
func auth0From(h *store.Handle) func() time.Time {
	return func() time.Time {
		st, err := h.Status(context.Background())
		if err != nil {
			return time.Time{}
		}
		from := st.Backfill.Auth0HoldsFrom
		for _, g := range st.Gaps {
			if g.Lost && g.To.After(from) {
				from = g.To
			}
		}
		return from
	}
}
