// Package sqlite is the tenant log store's embedded engine: one SQLite file (pure Go, through
// modernc.org/sqlite, so the plugin builds for every platform Grafana runs on) holding several
// tenants' events, their segments and counters. Searchable fields are indexed columns, repetitive
// strings are kept once in a dictionary, and the rest of each event is compressed with zstd.
//
// It implements store.Engine and knows nothing of Auth0's API, the tail or Grafana.
package sqlite
