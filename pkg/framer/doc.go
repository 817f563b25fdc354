// Package framer turns events and aggregates into the data frames Grafana draws: a logs frame that
// follows the logs data-plane contract (Explore, logs panels), a flat table, multi-frame time
// series for graphs and alert rules, a top-N table ready for a Geomap, and a text/value frame for
// template variables. Every function is pure: the same input gives the same frame, which the
// golden files in testdata pin down. It must not know how events were fetched, filtered or counted
// (the Auth0 API, the query language, the cache) nor about HTTP or plugin instances; it only
// formats what it is given, reading event-type names and outcomes from pkg/eventtypes.
package framer
