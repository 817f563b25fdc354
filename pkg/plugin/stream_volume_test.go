package plugin

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
)

// TestLogsVolumeEqualsTheCountOverTheSameRange checks the backend half of Explore's logs volume
// (src/logsVolume.ts): the count grouped by type with every group kept, which the frontend adds
// up by level, is bucket for bucket the plain count of the same filter and range, and in total
// the tenant's true number of matching events, however many rows the logs query itself returns.
func TestLogsVolumeEqualsTheCountOverTheSameRange(t *testing.T) {
	tn := newTestTenant(t, testTenantOptions{days: 3, perDay: 1500})
	d := tn.datasource(t)
	tr := backend.TimeRange{From: tn.end.Add(-48*time.Hour + 17*time.Minute), To: tn.end.Add(-time.Hour)}
	for _, filter := range []string{``, `"query":"type:f* OR type:s",`, `"eventTypes":["fu","fp","s"],"categories":["management_api"],`} {
		t.Run(filter, func(t *testing.T) {
			// The JSON src/logsVolume.ts volumeQuery sends.
			volume := tn.query(t, d, tr, `{`+filter+`"queryType":"count","groupBy":"type","keepAllGroups":true}`)
			count := tn.query(t, d, tr, `{`+filter+`"queryType":"count"}`)
			require.NoError(t, volume.Error)
			require.NoError(t, count.Error)
			require.Len(t, count.Frames, 1)
			want := count.Frames[0].Fields[1]
			sums := make([]float64, want.Len())
			for _, f := range volume.Frames {
				require.Equal(t, want.Len(), f.Fields[1].Len(), "every type's series has the count's buckets")
				for i := range sums {
					require.Equal(t, count.Frames[0].Fields[0].At(i), f.Fields[0].At(i), "bucket %d starts alike", i)
					v, ok := f.Fields[1].ConcreteAt(i)
					require.True(t, ok, "bucket %d was read", i)
					sums[i] += v.(float64)
				}
			}
			var total int64
			for i := range sums {
				v, _ := want.ConcreteAt(i)
				assert.Equal(t, v.(float64), sums[i], "bucket %d", i)
				total += int64(sums[i])
			}
			assert.Greater(t, len(volume.Frames), 2, "several types, so the sum is a real sum")
			assert.Greater(t, total, int64(1000), "more events than a logs query's 1,000 rows")
			assert.Equal(t, tn.count(queryOf(filter), tr), total)
		})
	}
}

// queryOf is the Auth0 search equivalent of each filter of the volume test, for the ground truth.
func queryOf(filter string) string {
	switch filter {
	case ``:
		return ``
	case `"query":"type:f* OR type:s",`:
		return `type:f* OR type:s`
	}
	codes, err := eventtypes.ExpandCategories([]string{"management_api"})
	if err != nil {
		panic(err)
	}
	q := `type:fu OR type:fp OR type:s`
	for _, c := range codes {
		q += ` OR type:"` + c + `"`
	}
	return q
}
