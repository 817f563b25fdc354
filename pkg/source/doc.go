// Package source decides where a planned query's events come from and brings them back in one
// form: the tenant log store for the stretch it holds (no Auth0 request), the on-demand fetcher for
// the rest, and the two merged exactly (aggregations as cells over disjoint time ranges, logs as
// newest-first lists). It is the step between plan and aggregate.
//
// It must not know about Grafana or frames, nor how an engine stores events.
package source
