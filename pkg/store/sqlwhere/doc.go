// Package sqlwhere turns a parsed Auth0 log query (a logquery.Node) into a SQL boolean expression
// with bind parameters, with exactly logquery.Matcher's meaning, for the store's SQL engines
// (SQLite and PostgreSQL). It also names the expressions a grouped aggregation groups by.
//
// It knows the columns a store keeps (a Schema) and the query language; it knows nothing of
// connections, tables' contents or Grafana.
package sqlwhere
