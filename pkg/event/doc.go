// Package event holds one Auth0 tenant log event as the rest of the plugin sees it, and the
// defensive JSON decoding that turns Auth0's loosely typed log objects into it.
//
// It is the common currency of the data path: the API client and the emulator produce events, the
// query matcher filters them, the aggregations count them and the framer renders them. It must not
// know about HTTP, Grafana or query syntax.
package event
