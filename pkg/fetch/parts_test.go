package fetch

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPartsShareTheCacheAcrossOverlappingTypeSets(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(1000, day0, 24*time.Hour)}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	part := func(typ string) Request {
		return Request{Filter: `type:"` + typ + `"`, From: day0, To: day0.Add(24 * time.Hour)}
	}
	fu, err := FetchParts(context.Background(), f, []Request{part("fu")}, 0)
	require.NoError(t, err)
	assert.Len(t, fu.Events, 500)

	both, err := FetchParts(context.Background(), f, []Request{part("fu"), part("s")}, 0)
	require.NoError(t, err)
	assert.Len(t, both.Events, 1000)
	assert.Equal(t, 6, both.Cost.Requests, "fu comes from the cache; only s is read")
	assert.Equal(t, 1, both.Cost.CacheHits)
}

func TestPartsShareOneBudget(t *testing.T) {
	fake := &fakeAuth0{events: tenantEvents(1000, day0, 24*time.Hour)}
	f := newTestFetcher(fake, day0.Add(48*time.Hour))
	reqs := []Request{
		{Filter: `type:"fu"`, From: day0, To: day0.Add(24 * time.Hour)},
		{Filter: `type:"s"`, From: day0, To: day0.Add(24 * time.Hour)},
	}
	res, err := FetchParts(context.Background(), f, reqs, 6)
	require.ErrorIs(t, err, ErrBudget)
	assert.Equal(t, 6, res.Cost.Requests)
	require.NotNil(t, res.Missing)
	assert.Equal(t, day0, res.Missing.From)
	assert.Equal(t, int64(6), fake.calls.Load())
}
