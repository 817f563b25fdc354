// Package emulator is a real HTTP server that plays one Auth0 tenant's Management API for tenant
// logs: the client-credentials token endpoint, GET /api/v2/logs in search and checkpoint mode,
// GET /api/v2/logs/{id} and GET /api/v2/users/{id}/logs, with Auth0's status codes, error bodies,
// rate-limit headers, paging limits and date rendering, plus switchable faults (429s, 5xx, latency,
// broken bodies, expired tokens, a revoked secret, refused synthetic checkpoints) so tests and the
// demo can exercise the client against something that behaves like the real service. A tenant can
// be live (events appear as the clock reaches their ingest time, and Add feeds more) and can have
// a retention that drops old events from every endpoint, as Auth0's plans do. It knows the
// event.Event type and the API contract only: it must not know about Grafana, frames, the plugin's
// client or the tenant generator, and its built-in search filter is deliberately narrow; full
// search semantics are plugged in through Options.Filter.
package emulator
