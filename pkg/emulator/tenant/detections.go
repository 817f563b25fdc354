package tenant

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// DetectionScenario names the activity one of the shipped detection rules
// (provisioning/alerting/detections.yml) is written to catch. Each is generated apart from the
// tenant's own traffic so a test can lay it over any tenant, including one nobody here generated.
type DetectionScenario string

// The scenarios. Type codes and descriptions are the ones the detection catalogue selects on
// (auth0/auth0-customer-detections, detections/*.yml, read 2026-12); the rest of each event's
// shape is cited beside its builder.
const (
	// StuffingPerIP is a credential-stuffing botnet: Actors IPs, each sending exactly PerActor
	// failed logins for user names that do not exist (credential_stuffing_signals.yml).
	StuffingPerIP DetectionScenario = "stuffing_per_ip"
	// RefreshTokenReuse is Actors users whose rotating refresh tokens are each replayed PerActor
	// times (refresh_token_reuse.yml).
	RefreshTokenReuse DetectionScenario = "refresh_token_reuse"
	// PushFatigue is Actors users each sent PerActor Guardian push notifications
	// (risk_for_mfa_push_fatigue.yml).
	PushFatigue DetectionScenario = "push_fatigue"
	// DynamicRegistration is PerActor clients created through dynamic client registration from
	// each of Actors IPs (rapid_creation_of_clients_with_dynamic_registration.yml).
	DynamicRegistration DetectionScenario = "dynamic_registration"
	// SignupBurst is Actors IPs each completing PerActor signups (risk_of_signup_fraud_by_volume.yml).
	SignupBurst DetectionScenario = "signup_burst"
	// DisposableSignup is Actors IPs each signing up PerActor accounts at disposable email
	// domains (risk_of_signup_fraud_by_disposable_domains.yml).
	DisposableSignup DetectionScenario = "disposable_signup"
	// FailedAuthorization is Actors IPs each sending PerActor authorization requests with a
	// callback, client or audience the tenant does not know (many_failed_authorization_requests.yml).
	FailedAuthorization DetectionScenario = "failed_authorization"
	// RefreshFromManyIPs is Actors users each exchanging refresh tokens PerActor times, every
	// time from another IP (refresh_token_from_too_many_locations.yml).
	RefreshFromManyIPs DetectionScenario = "refresh_from_many_ips"
)

// Detection is one scenario's window and size.
type Detection struct {
	Scenario DetectionScenario
	// Start and Duration bound the events' dates; a non-positive Duration means one hour.
	Start    time.Time
	Duration time.Duration
	// Actors is how many IPs or users act; PerActor how many events each sends. Both must be
	// positive for any event to be generated.
	Actors, PerActor int
	// FirstActor is the index of the first actor: scenarios laid over one tenant with
	// different ranges of actors use different IPs and users.
	FirstActor int
	// Seed selects the scenario's users and dates.
	Seed uint64
	// Domain is written to each event's hostname; default "demo.auth0logs.local".
	Domain string
}

// detectionSeqBase starts the sequence part of scenario log_ids far above any the tenant
// generator reaches, so laying a scenario over a tenant never repeats a log_id.
const detectionSeqBase = 4_000_000_000_000_000_000

// DetectionEvents generates the scenario's events, in no particular order (the emulator sorts).
// An unknown scenario is an error naming the known ones.
func DetectionEvents(d Detection) ([]event.Event, error) {
	build, ok := detectionBuilders[d.Scenario]
	if !ok {
		return nil, fmt.Errorf("unknown detection scenario %q: use one of %s, %s, %s, %s, %s, %s, %s, %s", d.Scenario,
			StuffingPerIP, RefreshTokenReuse, PushFatigue, DynamicRegistration, SignupBurst, DisposableSignup, FailedAuthorization, RefreshFromManyIPs)
	}
	if d.Actors <= 0 || d.PerActor <= 0 {
		return nil, nil
	}
	if d.Duration <= 0 {
		d.Duration = time.Hour
	}
	if d.Domain == "" {
		d.Domain = defaultDomain
	}
	r := rand.New(rand.NewPCG(d.Seed, uint64(len(d.Scenario))))
	events := make([]event.Event, 0, d.Actors*d.PerActor)
	ids := make([]byte, 0, LogIDLen)
	for a := range d.Actors {
		actor := detectionActor(r, d.FirstActor+a)
		for range d.PerActor {
			date := d.Start.Add(time.Duration(r.Int64N(int64(d.Duration)))).UTC().Truncate(time.Millisecond)
			// Auth0 ingests an event a moment after it happens; the log_id holds that moment.
			ingest := date.Add(time.Duration(500+r.IntN(2500)) * time.Millisecond)
			ids = appendLogID(ids[:0], ingest.Unix(), int64(ingest.Nanosecond()/1000), detectionSeqBase+uint64(len(events)))
			e := event.Event{LogID: string(ids), Date: date, Hostname: d.Domain, IP: actor.ip}
			build(&e, actor, r)
			events = append(events, e)
		}
	}
	return events, nil
}

// actor is one IP or user of a scenario.
type actor struct {
	ip, userID, email string
}

// detectionActor gives actor a an address in 198.18.0.0/15, the range RFC 2544 sets aside for
// benchmarks, so scenario IPs never collide with the tenant's own clients; and a user.
func detectionActor(r *rand.Rand, a int) actor {
	return actor{
		ip:     fmt.Sprintf("198.%d.%d.%d", 18+a>>16&1, a>>8&255, a&255),
		userID: "auth0|" + hex(r, 24),
		email:  fmt.Sprintf("scenario.user%d@example.com", a),
	}
}

var detectionBuilders = map[DetectionScenario]func(e *event.Event, a actor, r *rand.Rand){
	StuffingPerIP:       stuffingEvent,
	RefreshTokenReuse:   reuseEvent,
	PushFatigue:         pushEvent,
	DynamicRegistration: registrationEvent,
	SignupBurst:         signupEvent,
	DisposableSignup:    disposableSignupEvent,
	FailedAuthorization: failedAuthorizationEvent,
	RefreshFromManyIPs:  refreshFromAnywhereEvent,
}

// botFingerprint is one TLS fingerprint for the whole botnet: the catalogue clusters attack
// traffic by data.security_context.ja4 (credential_stuffing_signals.yml), whose top-level
// {ja3, ja4} object the Management API's Log schema also names (../shared/docs/auth0-logs-api.md §6).
var botFingerprint = json.RawMessage(`{"ja3":"769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0","ja4":"t10d1309h1_5b57614c22b0_3d5424432f57"}`)

// stuffingEvent is a failed login for a user name from a combo list: type fu with the
// description and details of the tenant generator's wrong-credentials failure (baseline.go), as
// Auth0 writes "Wrong email or password." for an unknown user.
func stuffingEvent(e *event.Event, _ actor, r *rand.Rand) {
	e.Type, e.Description, e.Details = "fu", descWrongCreds, detailsWrongCreds
	e.UserName = fmt.Sprintf("%s%d@%s", []string{"anna", "mike", "li", "sam"}[r.IntN(4)], r.IntN(100000), []string{"gmail.com", "yahoo.com", "mail.ru"}[r.IntN(3)])
	e.Connection, e.Strategy, e.StrategyType = "Username-Password-Authentication", "auth0", "database"
	e.UserAgent = "python-requests/2.31.0"
	e.Extra = map[string]json.RawMessage{"security_context": botFingerprint}
}

// reuseEvent is a failed refresh token exchange with the description the catalogue selects on.
func reuseEvent(e *event.Event, a actor, _ *rand.Rand) {
	e.Type, e.Description = "ferrt", "Unsuccessful Refresh Token exchange, reused refresh token detected"
	e.UserID, e.ClientName, e.ClientID = a.userID, "Storefront SPA", "spaClientScenario0000000000000000"
}

// pushEvent is a Guardian push sent to a user, with the catalogue's description.
func pushEvent(e *event.Event, a actor, _ *rand.Rand) {
	e.Type, e.Description = "gd_send_pn", "Guardian - Second factor notification sent"
	e.UserID, e.UserName = a.userID, a.email
}

// registrationEvent is a client created through OIDC dynamic client registration. details has
// the {request, response} shape of the recorded sapi events (../shared/fixtures/auth0-recordings/
// TestLogManager_Search.json); /oidc/register is Auth0's registration endpoint.
func registrationEvent(e *event.Event, _ actor, r *rand.Rand) {
	e.Type, e.Description = "sapi", "Dynamic client registration"
	id := alnum(r, 32)
	e.Details = json.RawMessage(`{"request":{"method":"post","path":"/oidc/register","channel":"api","body":{"client_name":"app ` + id[:6] +
		`"}},"response":{"statusCode":201,"body":{"client_id":"` + id + `"}}}`)
}

// signupEvent is a successful signup to the password database; the recorded ss event carries an
// empty description and the connection (TestLogManager_Search.json).
func signupEvent(e *event.Event, a actor, r *rand.Rand) {
	e.Type, e.Description = "ss", ""
	e.UserID, e.UserName = "auth0|"+hex(r, 24), fmt.Sprintf("new%d.%s", r.IntN(1_000_000), a.email)
	e.Connection, e.Strategy, e.StrategyType = "Username-Password-Authentication", "auth0", "database"
}

// disposableDomains are a few of the throwaway mail domains the catalogue lists as examples.
var disposableDomains = []string{"mailinator.com", "yopmail.com", "guerrillamail.com", "sharklasers.com", "getnada.com"}

// disposableSignupEvent is a signup as signupEvent, with an address at a disposable domain.
func disposableSignupEvent(e *event.Event, a actor, r *rand.Rand) {
	signupEvent(e, a, r)
	e.UserName = fmt.Sprintf("u%s@%s", hex(r, 8), disposableDomains[r.IntN(len(disposableDomains))])
}

// failedAuthorizationEvent is a failed /authorize request (type f). The descriptions follow the
// patterns the catalogue extracts values from: "Callback URL mismatch. <uri>", "Unknown client:
// <id>", "Service not found: <audience>".
func failedAuthorizationEvent(e *event.Event, _ actor, r *rand.Rand) {
	e.Type = "f"
	switch r.IntN(3) {
	case 0:
		e.Description = "Callback URL mismatch. https://cb-" + hex(r, 6) + ".example.net/callback is not in the list of allowed callback URLs"
	case 1:
		e.Description = "Unknown client: " + alnum(r, 32)
	default:
		e.Description = "Service not found: https://api-" + hex(r, 6) + ".example.net"
	}
	e.UserAgent = "curl/8.5.0"
}

// refreshFromAnywhereEvent is a successful refresh token exchange (sertft, with the description
// the tenant generator gives it, baseline.go) by the actor's user, from an address of its own in
// 198.19.0.0/16: a token family copied to many machines.
func refreshFromAnywhereEvent(e *event.Event, a actor, r *rand.Rand) {
	e.Type, e.Description = "sertft", descRefresh
	e.UserID, e.UserName = a.userID, a.email
	e.ClientName, e.ClientID = "Storefront SPA", "spaClientScenario0000000000000000"
	e.IP = fmt.Sprintf("198.19.%d.%d", r.IntN(256), r.IntN(256))
}
