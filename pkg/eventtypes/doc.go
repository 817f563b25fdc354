// Package eventtypes is the catalog of Auth0 log event-type codes (the "type" field of a tenant log
// event): each code's name and description, the one category it belongs to, its outcome, and the
// presets Auth0's monitoring guides recommend. The data is embedded: event-codes.tsv is a copy of
// the shared seed list (its source column says which Auth0 page a row came from; codes listed only
// in the old logs overview are marked Legacy, and where both pages name a code the current page's
// name is kept), and classification.go places every code. Outcomes follow one rule: success when
// the event reports that what someone asked for was done (names such as "Success...", "...Sent",
// "...Completed"); failure when an attempt was refused or broke, and that includes attack-protection
// blocks (limit_wc, limit_mu, limit_sul) and rate limits reached (api_limit, limit_*), because the
// blocked request did fail; warning when nothing failed yet but someone should look (w, wn, wum,
// api_limit_warning, depnote, a connector going offline, breached-password detection, which may
// only notify); info for steps and notices with no result of their own (MFA required, a factor
// challenge started, bot-detection assessments, update and heartbeat notices). Outcome.LogLevel
// maps these to Grafana's log levels. Unknown codes are never an error: they fall into category
// "other" with outcome info. The package must not know about HTTP, Grafana frames, query syntax or
// the Auth0 client; it only describes codes.
package eventtypes
