package tenant

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDetectionEventsShape(t *testing.T) {
	start := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for _, sc := range []DetectionScenario{StuffingPerIP, RefreshTokenReuse, PushFatigue, DynamicRegistration, SignupBurst, DisposableSignup, FailedAuthorization} {
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
