package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/seed/auth0logs-datasource/pkg/store"
)

func TestLogIDTimeAndFloor(t *testing.T) {
	real := "90020230602105805996607000000000000001223372045029306413" // from a recorded response
	at, ok := store.LogIDTime(real)
	assert.True(t, ok)
	assert.Equal(t, time.Date(2023, 6, 2, 10, 58, 5, 0, time.UTC), at)

	floor := store.FloorLogID(at.Add(900 * time.Millisecond))
	assert.Len(t, floor, store.LogIDLen)
	assert.Less(t, floor, real, "the floor of a second precedes every id of that second")
	assert.Greater(t, store.FloorLogID(at.Add(time.Second)), real, "and follows every id of the second before")
	back, ok := store.LogIDTime(floor)
	assert.True(t, ok)
	assert.Equal(t, at, back)
	assert.Equal(t, store.FloorLogID(at), store.FloorLogID(at.In(time.FixedZone("CEST", 2*3600))), "UTC whatever the zone")
	assert.Len(t, store.FloorLogID(time.Time{}), store.LogIDLen, "out-of-range years are clamped")

	for _, bad := range []string{"", "900", "XXX", real[:55], real + "1", "800" + real[3:], real[:20] + "x" + real[21:],
		"90020231302105805996607000000000000001223372045029306413"} {
		_, ok := store.LogIDTime(bad)
		assert.False(t, ok, "%q is not a log_id", bad)
	}
}
