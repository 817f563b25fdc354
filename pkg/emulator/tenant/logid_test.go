package tenant

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestAppendLogIDLayout(t *testing.T) {
	sec := time.Date(2023, 3, 14, 14, 47, 9, 0, time.UTC).Unix()
	id := string(appendLogID(nil, sec, 188593, 42))
	assert.Equal(t, "90020230314144709188593000000000000001223372036854775850", id)
	assert.Len(t, id, LogIDLen)
}

func TestLogIDTime(t *testing.T) {
	// A log_id from the recorded responses.
	got, ok := LogIDTime("90020230314144709188593000000000000001223372037868840734")
	assert.True(t, ok)
	assert.Equal(t, time.Date(2023, 3, 14, 14, 47, 9, 0, time.UTC), got)

	for _, bad := range []string{"", "900", "80020230314144709188593000000000000001223372037868840734",
		"9002023031414470918859300000000000000122337203786884073x", "900202303141447091885930000000000000012233720378688407345"} {
		_, ok := LogIDTime(bad)
		assert.False(t, ok, bad)
	}
}

func TestFloorLogIDPrecedesEveryIDOfItsSecond(t *testing.T) {
	at := time.Date(2026, 9, 8, 3, 0, 0, 0, time.FixedZone("X", -7200))
	floor := FloorLogID(at)
	assert.Len(t, floor, LogIDLen)
	stamp, ok := LogIDTime(floor)
	assert.True(t, ok)
	assert.True(t, stamp.Equal(at))
	assert.Less(t, floor, string(appendLogID(nil, at.Unix(), 0, 0)))
	assert.Greater(t, floor, string(appendLogID(nil, at.Unix()-1, 999999, 1<<40)))
}
