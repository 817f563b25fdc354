package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/seed/auth0logs-datasource/pkg/store"
)

func seg(from, to time.Time) store.Segment {
	return store.Segment{FromID: store.FloorLogID(from), ToID: store.FloorLogID(to), From: from, To: to}
}

func TestGapsBetweenSegmentsAndBeforeTheFirst(t *testing.T) {
	day := 24 * time.Hour
	held := []store.Segment{seg(t0.Add(-20*day), t0.Add(-15*day)), seg(t0.Add(-3*day), t0)}

	gaps := store.Gaps(held, t0.Add(-30*day), t0.Add(-10*day))
	assert.Equal(t, []store.Gap{
		{FromID: store.FloorLogID(t0.Add(-30 * day)), ToID: held[0].FromID, From: t0.Add(-30 * day), To: t0.Add(-20 * day), Lost: true, OpenStart: true},
		{FromID: held[0].ToID, ToID: store.FloorLogID(t0.Add(-10 * day)), From: t0.Add(-15 * day), To: t0.Add(-10 * day), Lost: true},
		{FromID: store.FloorLogID(t0.Add(-10 * day)), ToID: held[1].FromID, From: t0.Add(-10 * day), To: t0.Add(-3 * day), OpenStart: true},
	}, gaps, "a hole across Auth0's retention edge splits into a lost part and a fillable part")

	assert.Len(t, store.Gaps(held, time.Time{}, time.Time{}), 1, "no window, no retention: only the hole between")
	assert.Empty(t, store.Gaps(held[1:], t0.Add(-3*day), time.Time{}), "a window that starts at the first segment has no hole")
	assert.Empty(t, store.Gaps(nil, t0.Add(-3*day), time.Time{}), "an empty store has no gaps yet, only nothing")
	assert.Equal(t, 7*day, gaps[2].Duration())
}
