// Package tenant generates a realistic Auth0 tenant's logs, deterministically from a seed: a few
// thousand users with stable devices, IPs and locations, the usual clients and connections, a
// week of traffic with a daily rhythm and weekend dip, and attacks (credential stuffing, brute
// force, breached passwords, blocked IPs) laid over it the way Auth0's anomaly-detection charts
// show them. Events carry real-format 56-digit log_ids whose embedded ingest time trails the
// event date by a few seconds. The emulator serves these events, tests use Tenant.Count and
// CountByDay as ground truth, and JSON-lines helpers move events to and from files. It knows the
// event.Event type and Auth0's log shapes only: it must not know about HTTP, the emulator's API,
// Grafana or the query syntax.
package tenant
