// Package store is the tenant log store: every event of a tenant read once through Auth0's
// checkpoint mode, kept in an engine (embedded SQLite by default, PostgreSQL for several replicas),
// and answered from there at no Auth0 cost. It holds the engine interface, the segments that say
// which stretch of the log is held, the tail that fills them, and the registry that gives each
// tenant one tail per process however many data-source instances name it.
//
// It knows Auth0 through the checkpoint reader it is given, and the client's error type and priorities;
// nothing of Grafana or frames.
package store
