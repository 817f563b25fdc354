package tenant

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// fixtureEnd is a Thursday afternoon: the 7-day window holds a partial Thursday at each end, a
// weekend and the default attacks.
var fixtureEnd = time.Date(2026, 9, 10, 13, 37, 0, 0, time.UTC)

var (
	demoOnce   sync.Once
	demoTenant *Tenant
)

// demo is the default tenant (only End fixed), generated once for the tests that need full volume.
func demo(t testing.TB) *Tenant {
	t.Helper()
	demoOnce.Do(func() { demoTenant = Generate(Config{Seed: 42, End: fixtureEnd}) })
	return demoTenant
}

func small(seed int64) *Tenant {
	return Generate(Config{Seed: seed, End: fixtureEnd, Days: 2, EventsPerDay: 4000,
		Attacks: []Attack{{Kind: CredentialStuffing, Start: fixtureEnd.Add(-20 * time.Hour), Duration: 2 * time.Hour, Events: 3000}}})
}

func encodeAll(t *testing.T, events []event.Event) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, WriteJSONLines(&buf, events))
	return buf.Bytes()
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b, other := small(7), small(7), small(8)
	require.NotEmpty(t, a.Events)
	assert.Equal(t, a.Users, b.Users)
	assert.Equal(t, a.Clients, b.Clients)
	assert.True(t, bytes.Equal(encodeAll(t, a.Events), encodeAll(t, b.Events)), "same Config must give identical events")

	assert.NotEqual(t, a.Users, other.Users)
	assert.NotEqual(t, a.Clients[0].ID, other.Clients[0].ID)
	assert.NotEqual(t, a.Events[0].LogID, other.Events[0].LogID)
}

func TestLogIDsAreSortedUniqueAndCarryIngestTime(t *testing.T) {
	tn := demo(t)
	inversions := 0
	// Plain checks in the loop: testify per event is too slow for half a million events.
	for i := range tn.Events {
		e := &tn.Events[i]
		stamp, ok := LogIDTime(e.LogID)
		if !ok {
			t.Fatalf("event %d: log_id %q is not 56 digits starting with 900", i, e.LogID)
		}
		if stamp.Before(e.Date) || stamp.Sub(e.Date) > 6*time.Second {
			t.Fatalf("log_id %s is stamped %s, want within 6s at or after its date %s", e.LogID, stamp, e.Date)
		}
		if i == 0 {
			continue
		}
		prev := &tn.Events[i-1]
		if prev.LogID >= e.LogID {
			t.Fatalf("events %d and %d are not in strictly ascending log_id order", i-1, i)
		}
		if e.Date.Before(prev.Date) {
			inversions++
		}
	}
	// Ingest delays vary, so log_id order is not date order, as in the recordings.
	assert.Greater(t, inversions, len(tn.Events)/100)
}

func TestDefaultVolumeAndWeekendDip(t *testing.T) {
	tn := demo(t)
	perDay := tn.CountByDay(func(*event.Event) bool { return true })
	sat := time.Date(2026, 9, 5, 0, 0, 0, 0, time.UTC)
	wed := time.Date(2026, 9, 9, 0, 0, 0, 0, time.UTC)
	for d := time.Date(2026, 9, 4, 0, 0, 0, 0, time.UTC); !d.After(wed); d = d.Add(24 * time.Hour) {
		assert.GreaterOrEqual(t, perDay[d], 50000, "full day %s", d.Format(time.DateOnly))
	}
	assert.Less(t, perDay[sat], perDay[wed], "weekends are quieter")
	// The partial first and last days hold only their share of the window.
	assert.Less(t, perDay[time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC)], 45000)
}

func TestDailyRhythm(t *testing.T) {
	tn := demo(t)
	var byHour [24]int
	for i := range tn.Events {
		if e := &tn.Events[i]; e.Type == "s" {
			byHour[e.Date.Hour()]++
		}
	}
	assert.Greater(t, byHour[15], byHour[3]*2, "afternoon UTC must be far busier than the night")
}

func TestEventsPassSchemaChecks(t *testing.T) {
	tn := demo(t)
	c := newSchemaChecker(tn)
	types := map[string]int{}
	for i := range tn.Events {
		e := &tn.Events[i]
		types[e.Type]++
		// Details are built per type, so checking the first of each type and a sample of the rest
		// covers every shape without scanning every byte under -race.
		checkJSON := types[e.Type] == 1 || i%25 == 0
		if msg := c.problem(e, checkJSON); msg != "" {
			t.Fatalf("event %d (%s, log_id %s): %s", i, e.Type, e.LogID, msg)
		}
	}
	for _, code := range []string{"s", "seacft", "seccft", "sepft", "ssa", "fsa", "fp", "fu", "f", "ss", "fs",
		"gd_start_auth", "cls", "slo", "scp", "fcp", "sapi", "feacft", "fepft", "fcoa", "feccft", "depnote",
		"limit_wc", "limit_mu", "pwd_leak"} {
		assert.Positive(t, types[code], "a week of traffic should contain %s", code)
	}
	assert.Greater(t, types["s"], len(tn.Events)/5, "successful logins are the largest share")
}

type schemaChecker struct {
	tn      *Tenant
	clients map[string]string
	users   map[string]User
}

func newSchemaChecker(tn *Tenant) *schemaChecker {
	c := &schemaChecker{tn: tn, clients: map[string]string{}, users: map[string]User{}}
	for _, cl := range tn.Clients {
		c.clients[cl.ID] = cl.Name
	}
	for _, u := range tn.Users {
		c.users[u.ID] = u
	}
	return c
}

// problem describes the first way e is not a plausible Auth0 log event, or returns "".
func (c *schemaChecker) problem(e *event.Event, checkJSON bool) string {
	switch {
	case e.Type == "":
		return "no type"
	case e.Date.Before(c.tn.Start) || !e.Date.Before(c.tn.End):
		return "date outside [Start, End)"
	case e.ClientID != "" && c.clients[e.ClientID] != e.ClientName:
		return "client_id and client_name do not name one of the tenant's clients"
	case e.UserID != "" && c.users[e.UserID].Email != e.UserName:
		return "user_id " + e.UserID + " is not a user of the tenant with user_name " + e.UserName
	case checkJSON && e.Details != nil && !json.Valid(e.Details):
		return "details are not JSON: " + string(e.Details)
	case e.IP != "" && e.Location == nil:
		return "IP without location_info"
	}
	switch e.Type {
	case "fu":
		if e.UserID != "" {
			return "fu is a login for a user that does not exist, yet has a user_id"
		}
	case "s", "fp", "limit_wc", "pwd_leak":
		if e.UserID == "" || e.IP == "" {
			return "missing user_id or ip"
		}
	case "sapi":
		if !bytes.Contains(e.Details, []byte(`"request"`)) || !bytes.Contains(e.Details, []byte(`"response"`)) {
			return "sapi details lack request/response"
		}
	}
	return ""
}

func TestEveryIPHasOneLocation(t *testing.T) {
	tn := demo(t)
	seen := map[string]event.Location{}
	v6 := 0
	for i := range tn.Events {
		e := &tn.Events[i]
		if e.IP == "" {
			continue
		}
		if prev, ok := seen[e.IP]; ok {
			if !equalLocation(prev, *e.Location) {
				t.Fatalf("IP %s moved from %+v to %+v", e.IP, prev, *e.Location)
			}
		} else {
			seen[e.IP] = *e.Location
			if strings.Contains(e.IP, ":") {
				v6++
			}
		}
	}
	assert.Greater(t, len(seen), 3000)
	assert.Positive(t, v6, "some IPs are IPv6")
}

func equalLocation(a, b event.Location) bool {
	return a.CountryCode == b.CountryCode && a.CityName == b.CityName && a.SubdivisionCode == b.SubdivisionCode &&
		a.TimeZone == b.TimeZone && *a.Latitude == *b.Latitude && *a.Longitude == *b.Longitude
}

func TestUsersAndClients(t *testing.T) {
	tn := demo(t)
	userID := regexp.MustCompile(`^(auth0\|[0-9a-f]{24}|google-oauth2\|\d{21}|email\|[0-9a-f]{24}|samlp\|globex-okta\|\S+@\S+)$`)
	for _, u := range tn.Users {
		require.Regexp(t, userID, u.ID)
		require.Contains(t, u.Email, "@")
	}
	for _, c := range tn.Clients {
		require.Regexp(t, `^[A-Za-z0-9]{32}$`, c.ID)
		require.NotEmpty(t, c.Name)
	}
	assert.Len(t, tn.Clients, 6)
	assert.Equal(t, []string{"Username-Password-Authentication", "google-oauth2", "email", "globex-okta"}, tn.Connections)
	assert.GreaterOrEqual(t, len(tn.Users), 300)
	emails := map[string]bool{}
	for _, u := range tn.Users {
		require.False(t, emails[u.Email], "duplicate email %s", u.Email)
		emails[u.Email] = true
	}
}

func TestCountByDayAgreesWithCount(t *testing.T) {
	tn := small(3)
	isS := func(e *event.Event) bool { return e.Type == "s" }
	total := 0
	for day, n := range tn.CountByDay(isS) {
		assert.Equal(t, day, day.UTC().Truncate(24*time.Hour), "keys are UTC midnights")
		total += n
	}
	assert.Equal(t, tn.Count(isS), total)
	assert.Positive(t, total)
}

func TestZeroEndMeansNowTruncated(t *testing.T) {
	tn := Generate(Config{Days: 1, EventsPerDay: 500, Attacks: []Attack{}})
	assert.Equal(t, tn.End, tn.End.Truncate(time.Minute))
	assert.WithinDuration(t, time.Now(), tn.End, 2*time.Minute)
	assert.Equal(t, tn.End.Add(-24*time.Hour), tn.Start)
	assert.Positive(t, tn.Count(func(e *event.Event) bool { return e.Hostname == defaultDomain }))
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		tn := Generate(Config{Seed: 1, End: fixtureEnd})
		if len(tn.Events) < 400000 {
			b.Fatalf("only %d events", len(tn.Events))
		}
	}
}
