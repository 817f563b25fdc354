package plugin

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestStoreConfigDefaultsBesideThePluginsDirectory(t *testing.T) {
	exe := func() (string, error) {
		return "/var/lib/grafana/plugins/seed-auth0logs-datasource/gpx_auth0logs_linux_amd64", nil
	}
	c, err := loadStoreConfig(env(nil), exe)
	require.NoError(t, err)
	assert.Equal(t, "sqlite", c.Engine)
	assert.Equal(t, "/var/lib/grafana/auth0logs-store", c.Dir)
	assert.Equal(t, filepath.Join("/var/lib/grafana/auth0logs-store", "store.db"), c.sqlitePath())
}

func TestStoreConfigFromGrafanaIni(t *testing.T) {
	noExe := func() (string, error) { return "", errors.New("no executable") }
	c, err := loadStoreConfig(env(map[string]string{envStorePath: "/data/auth0", envStoreMaxMB: "2048"}), noExe)
	require.NoError(t, err)
	assert.Equal(t, "/data/auth0", c.Dir)
	assert.EqualValues(t, 2048<<20, c.MaxBytes)

	c, err = loadStoreConfig(env(map[string]string{envStorePostgres: "postgres://u:pw@db/grafana"}), noExe)
	require.NoError(t, err)
	assert.Equal(t, "postgres", c.Engine, "a connection string alone chooses PostgreSQL")
	assert.Zero(t, c.LeaseTTL, "the registry's default lease")

	c, err = loadStoreConfig(env(map[string]string{envStorePostgres: "postgres://db/g", envStoreLeaseTTL: "3s"}), noExe)
	require.NoError(t, err)
	assert.Equal(t, 3*time.Second, c.LeaseTTL)

	for want, vars := range map[string]map[string]string{
		"store_engine is postgres but store_postgres_url is empty": {envStoreEngine: "postgres"},
		`store_engine "mysql" is not known`:                        {envStoreEngine: "mysql"},
		`store_max_size_mb "lots" is not a whole number`:           {envStoreMaxMB: "lots", envStorePath: "/x"},
		`store_lease_ttl "2h" is not a duration`:                   {envStoreLeaseTTL: "2h", envStorePath: "/x"},
		`store_lease_ttl "soon" is not a duration`:                 {envStoreLeaseTTL: "soon", envStorePath: "/x"},
		"set store_path in the [plugin.seed-auth0logs-datasource]": {},
	} {
		_, err := loadStoreConfig(env(vars), noExe)
		require.Error(t, err, want)
		assert.Contains(t, err.Error(), want)
	}
}
