// Package fetch is the plugin's only way to get events: it turns "the events matching this filter
// in this time range" into the fewest Auth0 searches, and spends no request twice.
//
// Aggregations need every matching event, which one Auth0 search cannot give (1,000 results at
// most). So ranges are read with keyset paging on date: newest first, each request asking for the
// events at or before the oldest date seen so far, the events read twice at the boundary dropped
// (only exact repeats: sample data reuses log ids on different events). One request then costs
// about 100 events whatever the range, and a budget cut loses the oldest events, not the newest
// ones a user is watching. An instant with more events than one search reaches is read as far as
// it goes and skipped past, so it costs the events of that instant only, and is reported.
//
// Settled windows (older than the indexing delay) are cached per filter as covered intervals, so a
// reload or an alert evaluation fetches only what it has not seen: the gaps and the live tail.
// Identical fetches in flight are joined. A caller with a deadline is answered shortly before it
// with what was read, while the read goes on and fills the cache. Everything sits behind Source, where a tenant-wide store
// fed by checkpoint paging can slot in later.
//
// It knows Auth0's search only through SearchFunc and the q string it composes; it must not know
// about Grafana, frames or the HTTP client.
package fetch
