// Package plan turns a query model and Grafana's time range into what the rest of the data path
// needs: one canonical Auth0 filter (the user's query ANDed with the event-type and category
// filters), a compiled local matcher, the fetch request and the buckets and keys to aggregate by.
// Every mistake a user can make is caught here, before an API call is spent. It must not call
// Auth0 or build frames.
package plan
