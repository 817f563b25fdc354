// Package auth0 is the client for the Auth0 Management API's log endpoints: it fetches and caches
// the client-credentials token, runs log searches and checkpoint paging, keeps every request of a
// tenant within one shared client-side budget served in priority order (alert rules first, the
// store's tail last), waits out Auth0's rate limits, retries what may pass, and turns Auth0's
// errors into messages that say what to fix and which limit stopped a request. It guards the
// credentials: no redirect is followed, link-local and metadata addresses are refused when the
// connection opens, and the secret and tokens are scrubbed, in every encoding, from every text.
// It knows nothing of Grafana, data frames or the query model: callers hand it Auth0 parameters
// and get event.Event values back.
package auth0
