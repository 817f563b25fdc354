// Package logquery implements the Lucene subset Auth0 accepts in the q parameter of its log search:
// it parses a query into a small tree, rejects what Auth0 would reject with a message that says
// how to fix it, renders a canonical q, adds a time range, and evaluates the same query on
// event.Event values so cached events can be filtered locally with the meaning Auth0 gives them.
// Decisions: terms written side by side are joined by OR (Lucene's default operator); AND binds
// tighter than OR and NOT tighter than both, and because Lucene's own parser does not treat
// unparenthesised mixes that way, Render parenthesises every mix, so the q we send means what the
// tree means. Values are whole-value and case-sensitive (Auth0 does not tokenize log fields);
// quoted and unquoted plain values are the same exact match. A date value stands for the whole
// period it names (2018-12 is all of December), as Elasticsearch rounds partial dates; times
// without a zone are UTC. Ranges on other fields compare bytes, and an event without the field
// never falls in a range. The package knows nothing of HTTP, Grafana or how events are fetched.
package logquery
