package tenant

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

func day(d int) time.Time { return time.Date(2026, 9, d, 0, 0, 0, 0, time.UTC) }

func ofType(code string) func(*event.Event) bool {
	return func(e *event.Event) bool { return e.Type == code }
}

func TestCredentialStuffingDayStandsOut(t *testing.T) {
	tn := demo(t)
	fu := tn.CountByDay(ofType("fu"))
	attackDay := day(8) // the second-to-last full day before fixtureEnd
	quiet := 0
	for d, n := range fu {
		if !d.Equal(attackDay) {
			quiet = max(quiet, n)
		}
	}
	require.Positive(t, quiet, "quiet days still have a few typos")
	assert.GreaterOrEqual(t, fu[attackDay], 10*quiet, "attack day %d fu vs busiest quiet day %d", fu[attackDay], quiet)

	users := map[string]bool{}
	for _, u := range tn.Users {
		users[u.Email] = true
	}
	ips, countries := map[string]bool{}, map[string]int{}
	unknown, total := 0, 0
	for i := range tn.Events {
		e := &tn.Events[i]
		if e.Type != "fu" || !e.Date.Truncate(24*time.Hour).Equal(attackDay) {
			continue
		}
		total++
		ips[e.IP] = true
		countries[e.Country()]++
		if e.UserName != "" && !users[e.UserName] {
			unknown++
		}
	}
	assert.Greater(t, len(ips), 1000, "stuffing comes from thousands of IPs")
	foreign := countries["RU"] + countries["CN"] + countries["VN"] + countries["BR"] + countries["NG"]
	assert.Greater(t, foreign, total/2, "most failures come from countries the tenant does not serve")
	assert.Greater(t, unknown, total*9/10, "user names mostly do not exist")
	// fp rises too, while successful logins barely move.
	fp := tn.CountByDay(ofType("fp"))
	assert.Greater(t, fp[attackDay], 2*fp[day(9)])
}

func TestProtectionEventsSpikeOnTheirDays(t *testing.T) {
	tn := demo(t)
	for _, tc := range []struct {
		code string
		day  time.Time
		min  int
	}{
		{"limit_wc", day(6), 90},  // brute force
		{"pwd_leak", day(7), 350}, // breached passwords
		{"limit_mu", day(5), 450}, // blocked IPs
	} {
		byDay := tn.CountByDay(ofType(tc.code))
		assert.GreaterOrEqual(t, byDay[tc.day], tc.min, tc.code)
		for d, n := range byDay {
			if !d.Equal(tc.day) {
				assert.Less(t, n, tc.min/10, "%s on %s", tc.code, d.Format(time.DateOnly))
			}
		}
	}
}

func TestBruteForceHitsFewAccountsFromFewIPs(t *testing.T) {
	start := fixtureEnd.Add(-10 * time.Hour)
	tn := Generate(Config{Seed: 5, End: fixtureEnd, Days: 1, EventsPerDay: 2000,
		Attacks: []Attack{{Kind: BruteForce, Start: start, Duration: time.Hour, Events: 550}}})
	inWindow := func(e *event.Event) bool { return !e.Date.Before(start) && e.Date.Before(start.Add(2*time.Hour)) }
	ips, accounts := map[string]bool{}, map[string]bool{}
	lastOfPair := map[string]string{}
	blocks := 0
	for i := range tn.Events {
		e := &tn.Events[i]
		if !inWindow(e) || e.UserAgent == "" || (e.Type != "fp" && e.Type != "limit_wc") || !isAttackAgent(e.UserAgent) {
			continue
		}
		ips[e.IP] = true
		accounts[e.UserID] = true
		lastOfPair[e.IP+" "+e.UserID] = e.Type
		if e.Type == "limit_wc" {
			blocks++
		}
	}
	assert.LessOrEqual(t, len(ips), 4)
	assert.LessOrEqual(t, len(accounts), 6)
	assert.Equal(t, 50, blocks, "one limit_wc per ten failures")
	for pair, last := range lastOfPair {
		assert.Equal(t, "limit_wc", last, "pair %s must end blocked", pair)
	}
}

func isAttackAgent(ua string) bool {
	for _, a := range attackAgents {
		if a.ua == ua {
			return true
		}
	}
	return false
}

func TestAttacksOutsideTheWindowAreDropped(t *testing.T) {
	tn := Generate(Config{Seed: 1, End: fixtureEnd, Days: 1, EventsPerDay: 1000, Attacks: []Attack{
		{Kind: BlockedIP, Start: fixtureEnd.Add(-48 * time.Hour), Duration: time.Hour, Events: 500},
		{Kind: BreachedPassword, Start: fixtureEnd.Add(-30 * time.Minute), Duration: time.Hour, Events: 400},
		{Kind: "no_such_attack", Start: fixtureEnd.Add(-time.Hour), Duration: time.Hour, Events: 400},
	}})
	assert.Less(t, tn.Count(ofType("limit_mu")), 10, "an attack before the window adds nothing")
	leaks := tn.Count(ofType("pwd_leak"))
	assert.Greater(t, leaks, 100, "the half inside the window is kept")
	assert.Less(t, leaks, 300, "the half after End is dropped")
}

func TestDefaultAttacksSchedule(t *testing.T) {
	for _, end := range []time.Time{fixtureEnd, day(10), day(10).Add(-time.Minute)} {
		attacks := DefaultAttacks(end)
		require.Len(t, attacks, 4)
		kinds := map[AttackKind]bool{}
		for _, a := range attacks {
			kinds[a.Kind] = true
			assert.False(t, a.Start.Before(end.Add(-7*24*time.Hour)), "%s starts before a 7-day window", a.Kind)
			assert.False(t, a.Start.Add(a.Duration).After(end), "%s ends after end", a.Kind)
		}
		assert.Len(t, kinds, 4)
		stuffing := attacks[0]
		require.Equal(t, CredentialStuffing, stuffing.Kind)
		lastFull := end.Truncate(24 * time.Hour).Add(-24 * time.Hour)
		assert.Equal(t, lastFull.Add(-24*time.Hour), stuffing.Start.Truncate(24*time.Hour), "end %s", end)
		assert.GreaterOrEqual(t, stuffing.Events, 30000)
	}
}
