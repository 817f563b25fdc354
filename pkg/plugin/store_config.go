package plugin

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Keys of the plugin's grafana.ini section, [plugin.seed-auth0logs-datasource], as Grafana hands
// them to the plugin process (../shared/docs/grafana-plugin-runtime.md): every key of the section
// becomes GF_PLUGIN_<KEY>. Where the store lives is the Grafana admin's choice, never a data-source
// editor's, so none of these is a data-source setting.
const (
	envStorePath     = "GF_PLUGIN_STORE_PATH"         // directory of the embedded store
	envStoreEngine   = "GF_PLUGIN_STORE_ENGINE"       // sqlite (default) or postgres
	envStorePostgres = "GF_PLUGIN_STORE_POSTGRES_URL" // connection string; a secret
	envStoreMaxMB    = "GF_PLUGIN_STORE_MAX_SIZE_MB"  // size cap of the whole store, 0 = none
	// envStoreLeaseTTL (store_lease_ttl, e.g. 15s) is how long a replica's hold on a tenant's
	// tail outlives its last renewal with the postgres engine. The default suits production;
	// tests shorten it so a takeover happens in seconds.
	envStoreLeaseTTL = "GF_PLUGIN_STORE_LEASE_TTL"
)

// storeDirName is the default store directory's name, beside Grafana's plugins directory.
const storeDirName = "auth0logs-store"

// storeConfig is where and how the process keeps the tenant log store.
type storeConfig struct {
	Engine      string // "sqlite" or "postgres"
	Dir         string // the sqlite engine's directory
	PostgresURL string
	MaxBytes    int64
	// LeaseTTL is the postgres engine's tail lease length; 0 means store.DefaultLeaseTTL.
	LeaseTTL time.Duration
}

// loadStoreConfig reads the admin's settings. The default directory is beside Grafana's plugins
// directory (…/plugins/<id>/gpx_… → …/auth0logs-store): Grafana writes there itself, while the
// working directory is its read-only home and HOME is unset in a plugin process.
func loadStoreConfig(getenv func(string) string, executable func() (string, error)) (storeConfig, error) {
	c := storeConfig{Engine: strings.ToLower(strings.TrimSpace(getenv(envStoreEngine))), Dir: strings.TrimSpace(getenv(envStorePath))}
	c.PostgresURL = strings.TrimSpace(getenv(envStorePostgres))
	if c.Engine == "" {
		c.Engine = "sqlite"
		if c.PostgresURL != "" {
			c.Engine = "postgres"
		}
	}
	switch c.Engine {
	case "sqlite":
	case "postgres":
		if c.PostgresURL == "" {
			return c, fmt.Errorf("store_engine is postgres but store_postgres_url is empty: set it in the [plugin.seed-auth0logs-datasource] section of grafana.ini")
		}
	default:
		return c, fmt.Errorf("store_engine %q is not known: use sqlite (the default, a file beside the plugins directory) or postgres", c.Engine)
	}
	if raw := strings.TrimSpace(getenv(envStoreMaxMB)); raw != "" {
		mb, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || mb < 0 {
			return c, fmt.Errorf("store_max_size_mb %q is not a whole number of megabytes: set it to 0 (no cap) or e.g. 2048", raw)
		}
		c.MaxBytes = mb << 20
	}
	if raw := strings.TrimSpace(getenv(envStoreLeaseTTL)); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < time.Second || d > 10*time.Minute {
			return c, fmt.Errorf("store_lease_ttl %q is not a duration between 1s and 10m: remove it (the default is 15s) or set e.g. 15s", raw)
		}
		c.LeaseTTL = d
	}
	if c.Engine == "sqlite" && c.Dir == "" {
		exe, err := executable()
		if err != nil {
			return c, fmt.Errorf("cannot find the plugin's directory to place the store beside it (%v): set store_path in the [plugin.seed-auth0logs-datasource] section of grafana.ini", err)
		}
		if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
		c.Dir = filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(exe))), storeDirName)
	}
	return c, nil
}

// sqlitePath is the embedded store's file.
func (c storeConfig) sqlitePath() string { return filepath.Join(c.Dir, "store.db") }

// prepareDir creates the store directory, with an error that says what to change when it cannot.
func (c storeConfig) prepareDir() error {
	if err := os.MkdirAll(c.Dir, 0o750); err != nil {
		return fmt.Errorf("cannot create the tenant log store directory %s (%v): give Grafana's user write access to it, or set store_path in the [plugin.seed-auth0logs-datasource] section of grafana.ini to a writable directory", c.Dir, err)
	}
	return nil
}
