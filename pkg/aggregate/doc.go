// Package aggregate turns a slice of already-filtered log events into the numbers panels draw:
// event counts and distinct-value counts per time bucket and group, top-N rankings and the list of
// values a template variable offers. Every function is pure and deterministic (same events in, same
// order out) and is written to keep allocations proportional to the number of groups and buckets,
// not to the number of events, because a dashboard may aggregate a million events per refresh. It
// must not know about Grafana, data frames, the Auth0 API or how events were fetched and filtered.
package aggregate
