// Package postgres is the tenant log store's engine for several Grafana replicas: one PostgreSQL
// database holds every replica's events, segments and checkpoints, a lease row per tenant with a
// fencing epoch decides which replica tails (every commit checks it in the same transaction), a
// token bucket per tenant shares one Auth0 request budget among the replicas, and NOTIFY tells
// the replicas without the lease that new events arrived. Queries are pushed down as SQL through
// sqlwhere and time-bucketed counts come back as aggregate.Cell rows from a GROUP BY.
//
// It knows the store's interface, the query tree and the event shape; it knows nothing of Auth0's
// API, Grafana or frames. Connection strings and their passwords never reach a message or a log.
package postgres
