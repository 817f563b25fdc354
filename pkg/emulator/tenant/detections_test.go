package tenant

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDetectionEventsShape(t *testing.T) {
	start := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for _, sc := range detectionScenarios {
		if sc == RefreshFromManyIPs || sc == BrowserTLSLogins {
			continue // an IP an event, by design: TestRefreshFromManyIPsUsesAnIPAnEvent, TestBrowserTLSLogins
		}
		events, err := DetectionEvents(Detection{Scenario: sc, Start: start, Duration: 10 * time.Minute, Actors: 300, PerActor: 4, Seed: 3})
		require.NoError(t, err)
		require.Len(t, events, 1200, sc)
		ids := map[string]bool{}
		perIP := map[string]int{}
		for _, e := range events {
			require.False(t, ids[e.LogID], "%s: log_id %s repeats", sc, e.LogID)
			ids[e.LogID] = true
			require.Len(t, e.LogID, LogIDLen)
			ingest, ok := LogIDTime(e.LogID)
			require.True(t, ok)
			assert.False(t, ingest.Before(e.Date.Truncate(time.Second)), "%s: ingested before it happened", sc)
			assert.True(t, !e.Date.Before(start) && e.Date.Before(start.Add(10*time.Minute)), sc)
			assert.NotEmpty(t, e.Type)
			perIP[e.IP]++
		}
		require.Len(t, perIP, 300, "%s: one IP an actor", sc)
		for ip, n := range perIP {
			require.Equal(t, 4, n, "%s: %s", sc, ip)
		}
	}
	_, err := DetectionEvents(Detection{Scenario: "nope"})
	require.ErrorContains(t, err, `unknown detection scenario "nope"`)
	for sc := range detectionBuilders {
		assert.Contains(t, err.Error(), string(sc), "the error names every scenario")
	}
	assert.Len(t, detectionScenarios, len(detectionBuilders))
}

// TestBrowserTLSLogins: each busy browser fingerprint fails as often as it succeeds, from many
// addresses, so no one IP fails often.
func TestBrowserTLSLogins(t *testing.T) {
	events, err := DetectionEvents(Detection{Scenario: BrowserTLSLogins, Start: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), Actors: 2, PerActor: 60, Seed: 29})
	require.NoError(t, err)
	require.Len(t, events, 120)
	byJA4 := map[string]map[string]int{}
	failuresPerIP := map[string]int{}
	for _, e := range events {
		ja4 := e.PathValue("security_context.ja4")
		require.NotEmpty(t, ja4)
		if byJA4[ja4] == nil {
			byJA4[ja4] = map[string]int{}
		}
		byJA4[ja4][e.Type]++
		if e.Type != "s" {
			failuresPerIP[e.IP]++
		}
	}
	require.Len(t, byJA4, 2, "one fingerprint an actor")
	for ja4, types := range byJA4 {
		assert.Equal(t, 30, types["s"], ja4)
		assert.Equal(t, 30, types["fu"], ja4)
	}
	for ip, n := range failuresPerIP {
		assert.Less(t, n, 5, "%s fails too often for a browser's address", ip)
	}
}

func TestRefreshFromManyIPsUsesAnIPAnEvent(t *testing.T) {
	events, err := DetectionEvents(Detection{Scenario: RefreshFromManyIPs, Start: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), Actors: 5, PerActor: 6, Seed: 9})
	require.NoError(t, err)
	ips := map[string]map[string]bool{}
	for _, e := range events {
		require.Equal(t, "sertft", e.Type)
		if ips[e.UserID] == nil {
			ips[e.UserID] = map[string]bool{}
		}
		ips[e.UserID][e.IP] = true
	}
	require.Len(t, ips, 5)
	for user, set := range ips {
		assert.Len(t, set, 6, user)
	}
}

// at returns the values at a dotted path of a JSON document: the value itself, or each element
// when it is an array (as the catalogue's field{} notation reads them). A missing path gives none.
func at(t *testing.T, doc json.RawMessage, path string) []string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(doc, &v))
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		if v, ok = m[k]; !ok {
			return nil
		}
	}
	var out []string
	add := func(x any) {
		if x != nil {
			out = append(out, fmt.Sprint(x))
		}
	}
	if list, ok := v.([]any); ok {
		for _, x := range list {
			add(x)
		}
		return out
	}
	add(v)
	return out
}

// catalogueSays are the catalogue entries' conditions on one sapi event, written out in Go from
// the entries (auth0/auth0-customer-detections, detections/*.yml) rather than from the rules, so
// the scenarios are checked against the catalogue itself.
var catalogueSays = map[DetectionScenario]func(t *testing.T, desc string, d json.RawMessage) bool{
	AttackProtectionOff: func(t *testing.T, desc string, d json.RawMessage) bool {
		off := slices.Equal(at(t, d, "response.body.enabled"), []string{"false"})
		shields := at(t, d, "response.body.shields")
		switch desc {
		case descBruteForce:
			return off || !slices.Contains(shields, "block")
		case descBreached:
			return off || (!slices.Contains(shields, "block") && !slices.Contains(at(t, d, "response.body.stage.pre-user-registration.shields"), "block"))
		case descThrottling:
			return off || !slices.Contains(shields, "block") || !slices.Contains(shields, "admin_notification")
		}
		return false
	},
	BotDetectionOff: func(t *testing.T, desc string, d json.RawMessage) bool {
		if desc != descCaptcha || !slices.Equal(at(t, d, "response.statusCode"), []string{"200"}) {
			return false
		}
		for _, f := range []string{"policy", "passwordless_policy", "password_reset_policy"} {
			if slices.Equal(at(t, d, "response.body."+f), []string{"off"}) {
				return true
			}
		}
		return false
	},
	MFAFactorDisabled: func(t *testing.T, desc string, d json.RawMessage) bool {
		return desc == descFactor && slices.Equal(at(t, d, "request.body.enabled"), []string{"false"})
	},
	MFAPolicyNever: func(t *testing.T, desc string, d json.RawMessage) bool {
		p := at(t, d, "response.body")
		return desc == descPolicies && !slices.Contains(p, "all-applications") && !slices.Contains(p, "confidence-score")
	},
	RiskAssessmentOff: func(t *testing.T, desc string, d json.RawMessage) bool {
		return desc == descRisk && slices.Equal(at(t, d, "response.statusCode"), []string{"200"}) &&
			slices.Equal(at(t, d, "response.body.AfterAuthentication"), []string{"false"})
	},
	MgmtScopesGranted: func(t *testing.T, desc string, d json.RawMessage) bool {
		aud := at(t, d, "response.body.audience")
		if desc != descUpdateGrant || len(aud) != 1 || !strings.HasSuffix(aud[0], "/api/v2/") {
			return false
		}
		return slices.ContainsFunc(at(t, d, "request.body.scope"), func(s string) bool {
			return strings.HasPrefix(s, "delete:") || strings.HasPrefix(s, "update:")
		})
	},
}

// TestAdminScenariosMeetTheCatalogue: every event of a Management API scenario meets its catalogue
// entry's condition, and no step of the admin routine meets any of them.
func TestAdminScenariosMeetTheCatalogue(t *testing.T) {
	start := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for sc, says := range catalogueSays {
		events, err := DetectionEvents(Detection{Scenario: sc, Start: start, Actors: 3, PerActor: 30, Seed: 5, Domain: "acme.eu.auth0.com"})
		require.NoError(t, err)
		require.Len(t, events, 90)
		kinds := map[string]bool{}
		for _, e := range events {
			require.Equal(t, "sapi", e.Type)
			require.True(t, json.Valid(e.Details), "%s: %s", sc, e.Details)
			assert.True(t, says(t, e.Description, e.Details), "%s: %s %s", sc, e.Description, e.Details)
			assert.Equal(t, []string{e.IP}, at(t, e.Details, "request.ip"))
			assert.Empty(t, e.Hostname, "sapi events carry no hostname")
			kinds[e.Description+" "+strings.Join(at(t, e.Details, "request.path"), "")] = true
		}
		if sc == AttackProtectionOff {
			assert.Len(t, kinds, 3, "all three protections are switched off")
		}
	}

	routine, err := DetectionEvents(Detection{Scenario: AdminRoutine, Start: start, Actors: 2, PerActor: AdminRoutineSteps(), Seed: 5, Domain: "acme.eu.auth0.com"})
	require.NoError(t, err)
	require.Len(t, routine, 2*AdminRoutineSteps())
	descs := map[string]int{}
	for _, e := range routine {
		descs[e.Description]++
		for sc, says := range catalogueSays {
			assert.False(t, says(t, e.Description, e.Details), "routine change %s %s meets %s", e.Description, e.Details, sc)
		}
	}
	for _, d := range []string{descBruteForce, descBreached, descThrottling, descCaptcha, descFactor, descPolicies, descRisk, descUpdateGrant, descInvite, descDeleteMember} {
		assert.Positive(t, descs[d], "the routine exercises %q", d)
	}
	assert.Equal(t, 2, descs[descDeleteMember], "one member removed per admin: below the takeover's deletions")
}

// TestTenantTakeoverInvitesAnOwnerAndDeletesMembers: each intruder sends one owner invitation to a
// personal address and PerActor-1 member deletions, all named by the intruder's own address.
func TestTenantTakeoverInvitesAnOwnerAndDeletesMembers(t *testing.T) {
	events, err := DetectionEvents(Detection{Scenario: TenantTakeover, Start: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), Duration: 8 * time.Minute, Actors: 2, PerActor: 4, Seed: 1})
	require.NoError(t, err)
	invites, deletes := map[string]int{}, map[string]int{}
	for _, e := range events {
		by := at(t, e.Details, "request.auth.user.email")
		require.Len(t, by, 1)
		switch e.Description {
		case descInvite:
			invites[by[0]]++
			assert.Equal(t, []string{"owner"}, at(t, e.Details, "request.body.roles"))
			owners := at(t, e.Details, "request.body.owners")
			require.Len(t, owners, 1)
			assert.True(t, strings.HasSuffix(owners[0], "@gmail.com"), owners[0])
		case descDeleteMember:
			deletes[by[0]]++
		default:
			t.Fatalf("unexpected %q", e.Description)
		}
	}
	require.Len(t, invites, 2)
	for who, n := range invites {
		assert.Equal(t, 1, n, who)
		assert.Equal(t, 3, deletes[who], who)
	}
}

// TestSuspiciousTLSLoginsShareTheToolsFingerprint: each tool has one JA4 of its own on every
// attempt; a tenth of its attempts succeed, the rest are failed logins.
func TestSuspiciousTLSLoginsShareTheToolsFingerprint(t *testing.T) {
	events, err := DetectionEvents(Detection{Scenario: SuspiciousTLSLogins, Start: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), Actors: 4, PerActor: 30, Seed: 2})
	require.NoError(t, err)
	type tally struct{ ok, failed int }
	byJA4 := map[string]*tally{}
	ipOf := map[string]string{}
	for _, e := range events {
		ja4 := at(t, e.Extra["security_context"], "ja4")
		require.Len(t, ja4, 1)
		assert.Regexp(t, `^t13d1516h2_[0-9a-f]{12}_[0-9a-f]{12}$`, ja4[0])
		if ip, seen := ipOf[ja4[0]]; seen {
			assert.Equal(t, ip, e.IP, "one tool, one IP")
		}
		ipOf[ja4[0]] = e.IP
		if byJA4[ja4[0]] == nil {
			byJA4[ja4[0]] = &tally{}
		}
		switch e.Type {
		case "s":
			byJA4[ja4[0]].ok++
			assert.Equal(t, "Successful login", e.Description)
		case "fu":
			byJA4[ja4[0]].failed++
		default:
			t.Fatalf("unexpected type %q", e.Type)
		}
	}
	require.Len(t, byJA4, 4, "a fingerprint per tool")
	for ja4, n := range byJA4 {
		assert.Equal(t, tally{ok: 3, failed: 27}, *n, ja4)
	}
}

// TestSMSAndAgentScenariosPerUser: SMS bombing sends PerActor texts to each user; the agents
// scenario gives each user's exchanges PerActor different user agents, all from the user's one IP.
func TestSMSAndAgentScenariosPerUser(t *testing.T) {
	start := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	sms, err := DetectionEvents(Detection{Scenario: SMSBombing, Start: start, Actors: 3, PerActor: 12, Seed: 3})
	require.NoError(t, err)
	perUser := map[string]int{}
	for _, e := range sms {
		require.Equal(t, "gd_send_sms", e.Type)
		require.Equal(t, "Guardian - Second factor sms sent", e.Description)
		perUser[e.UserID]++
	}
	assert.Equal(t, map[string]int{sms[0].UserID: 12, sms[12].UserID: 12, sms[24].UserID: 12}, perUser)

	ua, err := DetectionEvents(Detection{Scenario: RefreshFromManyAgents, Start: start, Actors: 3, PerActor: 6, Seed: 3})
	require.NoError(t, err)
	agents, ips := map[string]map[string]bool{}, map[string]map[string]bool{}
	for _, e := range ua {
		require.Equal(t, "sertft", e.Type)
		if agents[e.UserID] == nil {
			agents[e.UserID], ips[e.UserID] = map[string]bool{}, map[string]bool{}
		}
		agents[e.UserID][e.UserAgent], ips[e.UserID][e.IP] = true, true
	}
	require.Len(t, agents, 3)
	for user := range agents {
		assert.Len(t, agents[user], 6, user)
		assert.Len(t, ips[user], 1, user)
	}
}

// TestTenantTrafficHasNoneOfTheNewDetectionsSignals: the generated tenant's own traffic (the demo
// tenant, with its default attacks) makes none of the Management API changes the new rules
// watch, carries no TLS fingerprint, and never sends one user more than a few texts in an hour,
// so none of the new rules can fire on it.
func TestTenantTrafficHasNoneOfTheNewDetectionsSignals(t *testing.T) {
	watched := map[string]bool{descBruteForce: true, descBreached: true, descThrottling: true, descCaptcha: true, descFactor: true,
		descPolicies: true, descRisk: true, descInvite: true, descDeleteMember: true, descUpdateGrant: true, "Create client grant": true}
	sms := map[string]int{}
	sapis := 0
	for _, e := range demo(t).Events {
		if e.Type == "sapi" {
			sapis++
			assert.False(t, watched[e.Description], "the tenant itself makes %q", e.Description)
		}
		_, fingerprinted := e.Extra["security_context"]
		assert.False(t, fingerprinted, "%s carries a security_context", e.Type)
		if e.Type == "gd_enrollment_complete" {
			assert.Empty(t, at(t, e.Details, "authenticator.phone_number"), "the tenant's own enrolments name no phone")
			assert.Empty(t, at(t, e.Details, "enrollment.identifier"), "the tenant's own enrolments name no device")
		}
		if e.Type == "gd_send_sms" {
			sms[e.UserID+e.Date.Truncate(time.Hour).String()]++
		}
	}
	require.Positive(t, sapis, "the tenant does call the Management API")
	require.NotEmpty(t, sms, "the tenant does send texts")
	for k, n := range sms {
		assert.LessOrEqual(t, n, 3, k)
	}
}

// TestSharedMFAEnrolments: each phone number or Guardian installation is enrolled by PerActor
// different users, and no two actors share one.
func TestSharedMFAEnrolments(t *testing.T) {
	for sc, path := range map[DetectionScenario]string{SharedPhoneMFA: "authenticator.phone_number", SharedGuardianDevice: "enrollment.identifier"} {
		events, err := DetectionEvents(Detection{Scenario: sc, Start: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), Actors: 300, PerActor: 3, FirstActor: 65000, Seed: 4})
		require.NoError(t, err)
		users := map[string]map[string]bool{}
		for _, e := range events {
			require.Equal(t, "gd_enrollment_complete", e.Type)
			v := at(t, e.Details, path)
			require.Len(t, v, 1, "%s: %s", sc, e.Details)
			if users[v[0]] == nil {
				users[v[0]] = map[string]bool{}
			}
			users[v[0]][e.UserID] = true
		}
		require.Len(t, users, 300, "%s: one phone or device an actor", sc)
		for k, u := range users {
			assert.Len(t, u, 3, "%s: %s", sc, k)
		}
	}
}
