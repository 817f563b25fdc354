package tenant

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
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
	// AttackProtectionOff is Actors admins each making PerActor Management API changes that turn
	// brute-force protection, breached password detection or suspicious IP throttling off, or
	// leave them on without blocking (attack_protection_features_turned_off.yml and the three
	// *_settings_manipulated.yml entries).
	AttackProtectionOff DetectionScenario = "attack_protection_off"
	// BotDetectionOff is Actors admins each saving PerActor bot detection settings that switch
	// the CAPTCHA off for one of its flows (bot_detection_turned_off.yml).
	BotDetectionOff DetectionScenario = "bot_detection_off"
	// MFAFactorDisabled is Actors admins each disabling PerActor MFA factors
	// (mfa_downgrade_detect_disable_factors.yml).
	MFAFactorDisabled DetectionScenario = "mfa_factor_disabled"
	// MFAPolicyNever is Actors admins each setting the MFA policy to Never PerActor times
	// (mfa_downgrade_disable_mfa_policies.yml).
	MFAPolicyNever DetectionScenario = "mfa_policy_never"
	// RiskAssessmentOff is Actors admins each turning the risk assessment after authentication
	// off PerActor times (mfa_donwgrade_risk_assessment_disabled.yml).
	RiskAssessmentOff DetectionScenario = "risk_assessment_off"
	// TenantTakeover is Actors intruders each inviting a new owner and then deleting
	// PerActor-1 tenant members (risk_of_tenant_takeover.yml).
	TenantTakeover DetectionScenario = "tenant_takeover"
	// MgmtScopesGranted is Actors admins each updating PerActor client grants of the Management
	// API with delete: or update: scopes (grant_mgn_api_scopes.yml).
	MgmtScopesGranted DetectionScenario = "mgmt_scopes_granted"
	// AdminRoutine is ordinary administration that none of the rules above may fire on: each
	// actor's n-th event is the n-th of adminRoutineOps (protections switched on, factors enabled,
	// a read scope granted, one member removed, ...). Use PerActor = len(AdminRoutineOps()).
	AdminRoutine DetectionScenario = "admin_routine"
	// SMSBombing is Actors users each sent PerActor MFA text messages (sms_bombarding.yml).
	SMSBombing DetectionScenario = "sms_bombing"
	// SuspiciousTLSLogins is Actors attack tools, each with its own TLS fingerprint, sending
	// PerActor login attempts from one IP: every tenth succeeds, the rest fail
	// (logins_from_suspicious_tls_fingerprints.yml).
	SuspiciousTLSLogins DetectionScenario = "suspicious_tls_logins"
	// BrowserTLSLogins is Actors busy browser fingerprints, each making PerActor login attempts
	// from addresses all over 198.19.0.0/16, of which every other fails: a fingerprint with many
	// failures that is not a tool, since half its logins succeed and no one IP fails often (the
	// TLS rule's near miss on a large tenant).
	BrowserTLSLogins DetectionScenario = "browser_tls_logins"
	// RefreshFromManyAgents is Actors users each exchanging refresh tokens PerActor times, every
	// time with another user agent (refresh_token_from_multiple_user_agent.yml).
	RefreshFromManyAgents DetectionScenario = "refresh_from_many_agents"
	// SharedPhoneMFA is Actors phone numbers, each enrolled for SMS MFA by PerActor different
	// users (multiple_phone_numbers_are_registered_as_mfa.yml).
	SharedPhoneMFA DetectionScenario = "shared_phone_mfa"
	// SharedGuardianDevice is Actors Guardian app installations, each enrolled by PerActor
	// different users (same_guardian_app_is_registered_for_mfa_in_multiple_users.yml).
	SharedGuardianDevice DetectionScenario = "shared_guardian_device"
)

// detectionScenarios lists every scenario, for the error naming them.
var detectionScenarios = []DetectionScenario{
	StuffingPerIP, RefreshTokenReuse, PushFatigue, DynamicRegistration, SignupBurst, DisposableSignup,
	FailedAuthorization, RefreshFromManyIPs, AttackProtectionOff, BotDetectionOff, MFAFactorDisabled,
	MFAPolicyNever, RiskAssessmentOff, TenantTakeover, MgmtScopesGranted, AdminRoutine, SMSBombing,
	SuspiciousTLSLogins, BrowserTLSLogins, RefreshFromManyAgents, SharedPhoneMFA, SharedGuardianDevice,
}

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
		names := make([]string, len(detectionScenarios))
		for i, sc := range detectionScenarios {
			names[i] = string(sc)
		}
		return nil, fmt.Errorf("unknown detection scenario %q: use one of %s", d.Scenario, strings.Join(names, ", "))
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
		for n := range d.PerActor {
			actor.n = n
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

// actor is one IP or user of a scenario; n is the index of the event being built among the
// actor's PerActor events.
type actor struct {
	ip, userID, email string
	n                 int
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
	StuffingPerIP:         stuffingEvent,
	RefreshTokenReuse:     reuseEvent,
	PushFatigue:           pushEvent,
	DynamicRegistration:   registrationEvent,
	SignupBurst:           signupEvent,
	DisposableSignup:      disposableSignupEvent,
	FailedAuthorization:   failedAuthorizationEvent,
	RefreshFromManyIPs:    refreshFromAnywhereEvent,
	AttackProtectionOff:   attackProtectionOffEvent,
	BotDetectionOff:       botDetectionOffEvent,
	MFAFactorDisabled:     mfaFactorDisabledEvent,
	MFAPolicyNever:        mfaPolicyNeverEvent,
	RiskAssessmentOff:     riskAssessmentOffEvent,
	TenantTakeover:        tenantTakeoverEvent,
	MgmtScopesGranted:     mgmtScopesGrantedEvent,
	AdminRoutine:          adminRoutineEvent,
	SMSBombing:            smsEvent,
	SuspiciousTLSLogins:   tlsLoginEvent,
	BrowserTLSLogins:      browserLoginEvent,
	RefreshFromManyAgents: refreshFromManyAgentsEvent,
	SharedPhoneMFA:        sharedPhoneEvent,
	SharedGuardianDevice:  sharedDeviceEvent,
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

// The Management API scenarios. Every one is a sapi event whose details follow the recorded sapi
// logs (../shared/fixtures/auth0-recordings/TestLogManager_Search.json: details.request {auth,
// body, channel, ip, method, path, query, userAgent} and details.response {body, statusCode};
// hostname empty and user_agent "Other 0.0.0 / Other 0.0.0" at the top). The description is the
// one the catalogue entry selects on; Auth0 writes the API operation's summary there (the
// recordings' "Create a User", "Delete organization" are the summaries of those endpoints). The
// request and response bodies are the settings objects of Auth0's Management API reference,
// cited beside each builder; where the catalogue names a field the reference does not have, the
// catalogue is the source and the builder says so.

// scenarioAdminClient is the client the scenarios' Management API calls are made with.
const scenarioAdminClient = "mgmtClientScenario00000000000000"

type sapiCall struct {
	Request  sapiRequest  `json:"request"`
	Response sapiResponse `json:"response"`
}

type sapiRequest struct {
	Auth      sapiAuth          `json:"auth"`
	Body      any               `json:"body"`
	Channel   string            `json:"channel"`
	IP        string            `json:"ip"`
	Method    string            `json:"method,omitempty"`
	Path      string            `json:"path,omitempty"`
	Query     map[string]string `json:"query"`
	UserAgent string            `json:"userAgent"`
}

// sapiAuth names the admin who made the call: the recordings carry {credentials, strategy: jwt,
// user}, and the catalogue reads the caller's address from user.email (risk_of_tenant_takeover.yml).
type sapiAuth struct {
	Credentials struct{}          `json:"credentials"`
	Strategy    string            `json:"strategy"`
	User        map[string]string `json:"user"`
}

type sapiResponse struct {
	Body       any `json:"body"`
	StatusCode int `json:"statusCode"`
}

// sapi writes e as a Management API call by admin a. method and path may be empty where no
// source gives them; they are then left out.
func sapi(e *event.Event, a actor, desc, method, path string, req, resp any, status int) {
	e.Type, e.Description, e.Hostname = "sapi", desc, ""
	e.UserID, e.ClientID, e.UserAgent = a.userID, scenarioAdminClient, "Other 0.0.0 / Other 0.0.0"
	b, err := json.Marshal(sapiCall{
		Request: sapiRequest{
			Auth: sapiAuth{Strategy: "jwt", User: map[string]string{"user_id": a.userID, "email": a.email}},
			Body: req, Channel: "api", IP: a.ip, Method: method, Path: path,
			Query: map[string]string{}, UserAgent: "Go-Auth0/latest",
		},
		Response: sapiResponse{Body: resp, StatusCode: status},
	})
	if err != nil {
		panic(err) // the builders' own maps and slices always encode
	}
	e.Details = b
}

// obj is a JSON object literal for the builders.
type obj = map[string]any

// The attack protection settings, as the Management API's reference shows them
// (auth0.com/docs/api/management/v2/attack-protection/patch-brute-force-protection,
// .../patch-breached-password-detection, .../patch-suspicious-ip-throttling): each PATCH answers
// with the whole settings object, and the catalogue reads the new state from that response body.
const (
	descBruteForce = "Update Brute-force settings"
	descBreached   = "Update Breached Password Detection settings"
	descThrottling = "Update Suspicious IP Throttling settings"
	pathAttackProt = "/api/v2/attack-protection/"
)

func bruteForceSettings(enabled bool, shields ...string) obj {
	return obj{"enabled": enabled, "shields": shields, "allowlist": []string{}, "mode": "count_per_identifier_and_ip", "max_attempts": 10}
}

func breachedSettings(enabled bool, login, signup []string) obj {
	return obj{"enabled": enabled, "shields": login, "admin_notification_frequency": []string{"immediately"}, "method": "standard",
		"stage": obj{"pre-user-registration": obj{"shields": signup}, "pre-change-password": obj{"shields": []string{"block"}}}}
}

func throttlingSettings(enabled bool, shields ...string) obj {
	return obj{"enabled": enabled, "shields": shields, "allowlist": []string{},
		"stage": obj{"pre-login": obj{"max_attempts": 100, "rate": 864000}, "pre-user-registration": obj{"max_attempts": 50, "rate": 1728000}}}
}

// attackProtectionOffEvent turns one of the three protections off, or leaves it on without the
// response the catalogue requires: brute-force protection without "block",
// breached password detection blocking neither logins nor signups, suspicious IP throttling
// without "block" or without "admin_notification".
func attackProtectionOffEvent(e *event.Event, a actor, r *rand.Rand) {
	off := r.IntN(2) == 0
	switch r.IntN(3) {
	case 0:
		req, resp := obj{"shields": []string{"user_notification"}}, bruteForceSettings(true, "user_notification")
		if off {
			req, resp = obj{"enabled": false}, bruteForceSettings(false, "block", "user_notification")
		}
		sapi(e, a, descBruteForce, "patch", pathAttackProt+"brute-force-protection", req, resp, 200)
	case 1:
		none := []string{"admin_notification"}
		req, resp := obj{"shields": none, "stage": obj{"pre-user-registration": obj{"shields": none}}}, breachedSettings(true, none, none)
		if off {
			req, resp = obj{"enabled": false}, breachedSettings(false, []string{"block", "admin_notification"}, []string{"block"})
		}
		sapi(e, a, descBreached, "patch", pathAttackProt+"breached-password-detection", req, resp, 200)
	default:
		shields := [][]string{{"admin_notification"}, {"block"}}[r.IntN(2)]
		req, resp := obj{"shields": shields}, throttlingSettings(true, shields...)
		if off {
			req, resp = obj{"enabled": false}, throttlingSettings(false, "block", "admin_notification")
		}
		sapi(e, a, descThrottling, "patch", pathAttackProt+"suspicious-ip-throttling", req, resp, 200)
	}
}

// descCaptcha is the bot detection change the catalogue selects on. Its fields policy,
// passwordless_policy and password_reset_policy with the value "off" are the catalogue's
// (bot_detection_turned_off.yml); no source gives this call's method and path, so they are left
// out. The value of a flow that stays protected is taken from the bot detection API's challenge
// policies (never, when_risky, always: auth0.github.io/node-auth0,
// Management.BotDetectionChallengePolicyPasswordFlowEnum).
const descCaptcha = "Create or update the anomaly detection captcha"

func captchaSettings(password, passwordless, reset string) obj {
	return obj{"policy": password, "passwordless_policy": passwordless, "password_reset_policy": reset}
}

// botDetectionOffEvent switches the CAPTCHA off for one of the three flows.
func botDetectionOffEvent(e *event.Event, a actor, r *rand.Rand) {
	p := []string{"when_risky", "when_risky", "when_risky"}
	p[r.IntN(3)] = "off"
	s := captchaSettings(p[0], p[1], p[2])
	sapi(e, a, descCaptcha, "", "", s, s, 200)
}

// MFA: PUT /api/v2/guardian/factors/{name} with {"enabled": bool}, answered with the same object,
// and PUT /api/v2/guardian/policies with the list of policies ("all-applications",
// "confidence-score"; an empty list is "Never"), answered with the list
// (auth0.com/docs/api/management/v2/guardian/put-factors-by-name, .../put-policies). The
// descriptions are the catalogue's, and the summaries of those operations.
const (
	descFactor   = "Update multi-factor authentication type"
	descPolicies = "Update multi-factor authentication policies"
	descRisk     = "Updates risk assessment configs"
)

// mfaFactors are the factor names of put-factors-by-name.
var mfaFactors = []string{"webauthn-roaming", "webauthn-platform", "push-notification", "otp", "sms", "email", "duo", "recovery-code"}

func mfaFactorDisabledEvent(e *event.Event, a actor, r *rand.Rand) {
	sapi(e, a, descFactor, "put", "/api/v2/guardian/factors/"+mfaFactors[r.IntN(len(mfaFactors))], obj{"enabled": false}, obj{"enabled": false}, 200)
}

func mfaPolicyNeverEvent(e *event.Event, a actor, _ *rand.Rand) {
	sapi(e, a, descPolicies, "put", "/api/v2/guardian/policies", []string{}, []string{}, 200)
}

// riskAssessmentOffEvent turns off the risk assessment after authentication. The field
// AfterAuthentication and the description are the catalogue's
// (mfa_donwgrade_risk_assessment_disabled.yml); no source gives the call's method and path.
func riskAssessmentOffEvent(e *event.Event, a actor, _ *rand.Rand) {
	sapi(e, a, descRisk, "", "", obj{"AfterAuthentication": false}, obj{"AfterAuthentication": false}, 200)
}

// Tenant members: the descriptions and the fields roles and owners of the invitation's request
// body are the catalogue's (risk_of_tenant_takeover.yml: details.request.body.roles{} is "owner",
// details.request.body.owners{} the invited addresses, details.request.auth.user.email the admin
// deleting members). These calls are the Dashboard's own; no source gives their method and path.
const (
	descInvite       = "Create tenant invitations for a given client"
	descDeleteMember = "Delete tenant member"
)

// tenantTakeoverEvent: the intruder's first call invites a personal address as owner, every
// later one deletes another member.
func tenantTakeoverEvent(e *event.Event, a actor, r *rand.Rand) {
	if a.n == 0 {
		sapi(e, a, descInvite, "", "", obj{"owners": []string{fmt.Sprintf("ops.%s@gmail.com", hex(r, 6))}, "roles": []string{"owner"}}, obj{}, 200)
		return
	}
	sapi(e, a, descDeleteMember, "", "", nil, obj{}, 204)
}

// Client grants: PATCH /api/v2/client-grants/{id} with {"scope": [...]}, answered with the grant
// {id, client_id, audience, scope} (auth0.com/docs/api/management/v2/client-grants/
// patch-client-grants-by-id). The catalogue selects "Update client grant" with a Management API
// audience and delete:/update: scopes (grant_mgn_api_scopes.yml).
const descUpdateGrant = "Update client grant"

func clientGrantUpdate(e *event.Event, a actor, r *rand.Rand, audience string, scopes ...string) {
	id := "cgr_" + alnum(r, 16)
	sapi(e, a, descUpdateGrant, "patch", "/api/v2/client-grants/"+id, obj{"scope": scopes},
		obj{"id": id, "client_id": alnum(r, 32), "audience": audience, "scope": scopes}, 200)
}

// mgmtScopesGrantedEvent gives a client a write scope of the tenant's Management API; the
// audience is built from the event's hostname (the tenant's domain) before sapi clears it.
func mgmtScopesGrantedEvent(e *event.Event, a actor, r *rand.Rand) {
	risky := []string{"delete:users", "update:users", "update:clients", "delete:clients", "update:attack_protection", "update:client_grants"}
	clientGrantUpdate(e, a, r, "https://"+e.Hostname+"/api/v2/", "read:users", risky[r.IntN(len(risky))])
}

// adminRoutineOps are ordinary administrative changes, one per step: each keeps the protection
// on, or changes something none of the rules watch. The MFA policy, breached-password and
// client-grant steps are the near misses of their rules' conditions.
var adminRoutineOps = []func(e *event.Event, a actor, r *rand.Rand){
	func(e *event.Event, a actor, _ *rand.Rand) {
		sapi(e, a, descBruteForce, "patch", pathAttackProt+"brute-force-protection", obj{"max_attempts": 10}, bruteForceSettings(true, "block", "user_notification"), 200)
	},
	func(e *event.Event, a actor, _ *rand.Rand) {
		s := breachedSettings(true, []string{"block", "admin_notification"}, []string{"block"})
		sapi(e, a, descBreached, "patch", pathAttackProt+"breached-password-detection", obj{"enabled": true}, s, 200)
	},
	func(e *event.Event, a actor, _ *rand.Rand) {
		// logins only notify, signups still block: the catalogue's default alerts when neither blocks
		s := breachedSettings(true, []string{"admin_notification"}, []string{"block"})
		sapi(e, a, descBreached, "patch", pathAttackProt+"breached-password-detection", obj{"shields": []string{"admin_notification"}}, s, 200)
	},
	func(e *event.Event, a actor, _ *rand.Rand) {
		sapi(e, a, descThrottling, "patch", pathAttackProt+"suspicious-ip-throttling", obj{"enabled": true}, throttlingSettings(true, "block", "admin_notification"), 200)
	},
	func(e *event.Event, a actor, _ *rand.Rand) {
		s := captchaSettings("when_risky", "always", "when_risky")
		sapi(e, a, descCaptcha, "", "", s, s, 200)
	},
	func(e *event.Event, a actor, _ *rand.Rand) {
		sapi(e, a, descFactor, "put", "/api/v2/guardian/factors/webauthn-roaming", obj{"enabled": true}, obj{"enabled": true}, 200)
	},
	func(e *event.Event, a actor, _ *rand.Rand) {
		sapi(e, a, descPolicies, "put", "/api/v2/guardian/policies", []string{"all-applications"}, []string{"all-applications"}, 200)
	},
	func(e *event.Event, a actor, _ *rand.Rand) {
		sapi(e, a, descPolicies, "put", "/api/v2/guardian/policies", []string{"confidence-score"}, []string{"confidence-score"}, 200)
	},
	func(e *event.Event, a actor, _ *rand.Rand) {
		sapi(e, a, descRisk, "", "", obj{"AfterAuthentication": true}, obj{"AfterAuthentication": true}, 200)
	},
	func(e *event.Event, a actor, r *rand.Rand) {
		clientGrantUpdate(e, a, r, "https://"+e.Hostname+"/api/v2/", "read:users", "read:logs")
	},
	func(e *event.Event, a actor, r *rand.Rand) {
		clientGrantUpdate(e, a, r, "https://api.example.com/orders", "read:orders", "delete:orders")
	},
	func(e *event.Event, a actor, _ *rand.Rand) {
		sapi(e, a, descInvite, "", "", obj{"owners": []string{"new.admin@example.com"}, "roles": []string{"owner"}}, obj{}, 200)
	},
	func(e *event.Event, a actor, _ *rand.Rand) {
		sapi(e, a, descDeleteMember, "", "", nil, obj{}, 204)
	},
}

// AdminRoutineSteps is how many events one AdminRoutine actor needs to make every routine change once.
func AdminRoutineSteps() int { return len(adminRoutineOps) }

func adminRoutineEvent(e *event.Event, a actor, r *rand.Rand) {
	adminRoutineOps[a.n%len(adminRoutineOps)](e, a, r)
}

// smsEvent is an MFA text message sent to the actor's user: type gd_send_sms ("MFA SMS Sent",
// ../shared/seeds/event-codes.tsv line 74) with the description the catalogue selects on
// (sms_bombarding.yml).
func smsEvent(e *event.Event, a actor, _ *rand.Rand) {
	e.Type, e.Description = "gd_send_sms", "Guardian - Second factor sms sent"
	e.UserID, e.UserName = a.userID, a.email
}

// toolFingerprint is the TLS fingerprint of actor a's attack tool, in JA4's form (protocol, TLS
// version, SNI, cipher and extension counts, ALPN, then two truncated hashes), derived from the
// actor's IP so that every actor has its own. The log carries it as security_context.ja4
// (../shared/docs/auth0-logs-api.md §6; the catalogue reads data.security_context.ja4).
func toolFingerprint(a actor) json.RawMessage {
	h := sha256.Sum256([]byte(a.ip))
	return json.RawMessage(fmt.Sprintf(`{"ja4":"t13d1516h2_%x_%x"}`, h[:6], h[6:12]))
}

// tlsLoginEvent is one login attempt of the actor's tool: every tenth succeeds (type s, with the
// description and connection of the successful login in ../shared/seeds/
// log-event-details-examples.txt lines 31-36), the others fail as stuffingEvent's do.
func tlsLoginEvent(e *event.Event, a actor, r *rand.Rand) {
	if a.n%10 == 9 {
		e.Type, e.Description = "s", "Successful login"
		e.UserID, e.UserName = "auth0|"+hex(r, 24), fmt.Sprintf("victim%d.%d@example.com", a.n, r.IntN(1_000_000))
		e.Connection, e.Strategy, e.StrategyType = "Username-Password-Authentication", "auth0", "database"
		e.ClientName, e.ClientID = "Storefront SPA", "spaClientScenario0000000000000000"
		e.UserAgent = "python-requests/2.31.0"
	} else {
		stuffingEvent(e, a, r)
	}
	e.Extra = map[string]json.RawMessage{"security_context": toolFingerprint(a)}
}

// browserLoginEvent is a login attempt as tlsLoginEvent's, of which every other succeeds, from
// an address of its own.
func browserLoginEvent(e *event.Event, a actor, r *rand.Rand) {
	a.n = a.n % 2 * 9 // 9: the success of tlsLoginEvent, 0: a failure
	tlsLoginEvent(e, a, r)
	e.IP = fmt.Sprintf("198.19.%d.%d", r.IntN(256), r.IntN(256))
}

// scenarioAgents are user agents of different browser families, in the "<family> <version> /
// <os> <version>" form Auth0 writes (the recordings' "Other 0.0.0 / Other 0.0.0", the tenant
// generator's "Mobile Safari 17.5.0 / iOS 17.5.1").
var scenarioAgents = []string{
	"Chrome 126.0.0 / Windows 10.0.0", "Firefox 128.0.0 / Linux 0.0.0", "Safari 17.5.0 / Mac OS X 14.5.0",
	"Edge 126.0.0 / Windows 10.0.0", "Opera 111.0.0 / Windows 10.0.0", "Mobile Safari 17.5.0 / iOS 17.5.1",
	"Chrome Mobile 126.0.0 / Android 14.0.0", "Samsung Internet 25.0.0 / Android 14.0.0",
}

// refreshFromManyAgentsEvent is a successful refresh token exchange (sertft) of the actor's user
// from the actor's IP, its n-th with the n-th of scenarioAgents: one token family replayed
// under ever other browsers.
func refreshFromManyAgentsEvent(e *event.Event, a actor, _ *rand.Rand) {
	e.Type, e.Description = "sertft", descRefresh
	e.UserID, e.UserName = a.userID, a.email
	e.ClientName, e.ClientID = "Storefront SPA", "spaClientScenario0000000000000000"
	e.UserAgent = scenarioAgents[a.n%len(scenarioAgents)]
}

// MFA enrolments: type gd_enrollment_complete ("MFA enrollment complete", ../shared/seeds/
// event-codes.tsv line 64). The descriptions and the fields that name the enrolled phone
// (details.authenticator.phone_number) and Guardian installation (details.enrollment.identifier)
// are the catalogue's (multiple_phone_numbers_are_registered_as_mfa.yml,
// same_guardian_app_is_registered_for_mfa_in_multiple_users.yml); no source shows the rest of
// these details, so the builders write only those fields. Each event enrols another user.

// sharedPhoneEvent enrols a new user for SMS with the actor's phone number: a +1 555 number (the
// exchange American films use) numbered after the actor's IP, so every actor has its own.
func sharedPhoneEvent(e *event.Event, a actor, r *rand.Rand) {
	e.Type, e.Description = "gd_enrollment_complete", "Guardian - Enrollment complete (sms)"
	e.UserID, e.UserName = "auth0|"+hex(r, 24), fmt.Sprintf("member%d.%d@example.com", a.n, r.IntN(1_000_000))
	var x, y, z int
	fmt.Sscanf(a.ip, "198.%d.%d.%d", &x, &y, &z)
	e.Details = json.RawMessage(fmt.Sprintf(`{"authenticator":{"phone_number":"+1555%07d"}}`, (x-18)<<16|y<<8|z))
}

// sharedDeviceEvent enrols a new user with the actor's Guardian app installation; the identifier's
// form is not documented, so it is a digest of the actor's IP.
func sharedDeviceEvent(e *event.Event, a actor, r *rand.Rand) {
	e.Type, e.Description = "gd_enrollment_complete", "Guardian - Enrollment complete"
	e.UserID, e.UserName = "auth0|"+hex(r, 24), fmt.Sprintf("member%d.%d@example.com", a.n, r.IntN(1_000_000))
	h := sha256.Sum256([]byte(a.ip))
	e.Details = json.RawMessage(fmt.Sprintf(`{"enrollment":{"identifier":"%x"}}`, h[:10]))
}
