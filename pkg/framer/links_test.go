package framer

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
)

// linkedFields lists the fields of f that carry data links.
func linkedFields(f *data.Frame) []string {
	var names []string
	for _, fl := range f.Fields {
		if fl.Config != nil && len(fl.Config.Links) > 0 {
			names = append(names, fl.Name)
		}
	}
	return names
}

func topFrame(field string, o Options) *data.Frame {
	entries, total := aggregate.Top(fixtureEvents(), mustKey(field), 0)
	return Top(entries, total, field, o)
}

func TestLinksOnlyWithADatasourceUID(t *testing.T) {
	noUID := Options{RefID: "A", DatasourceName: "Auth0 logs"}
	for name, f := range map[string]*data.Frame{
		"logs": Logs(fixtureEvents(), noUID), "table": Table(fixtureEvents(), noUID),
		"top ip": topFrame("ip", noUID), "top user_id": topFrame("user_id", noUID),
	} {
		assert.Empty(t, linkedFields(f), name)
	}

	assert.Equal(t, []string{"id", "ip", "user_name", "user_id"}, linkedFields(Logs(fixtureEvents(), withDS)))
	assert.Equal(t, []string{"user_id", "ip", "log_id"}, linkedFields(Table(fixtureEvents(), withDS)))
	assert.Equal(t, []string{"ip"}, linkedFields(topFrame("ip", withDS)))
	assert.Equal(t, []string{"user_name"}, linkedFields(topFrame("user_name", withDS)))
	assert.Empty(t, linkedFields(topFrame("client_name", withDS)))
}

func TestLinkTargetsThisDatasourceLogs(t *testing.T) {
	f := Logs(fixtureEvents(), withDS)
	ip, _ := f.FieldByName("ip")
	require.Len(t, ip.Config.Links, 1)
	link := ip.Config.Links[0]
	assert.Equal(t, "Logs from this IP", link.Title)
	require.NotNil(t, link.Internal)
	assert.Equal(t, "auth0-logs-uid", link.Internal.DatasourceUID)
	assert.Equal(t, "Auth0 logs", link.Internal.DatasourceName)
	assert.Equal(t, map[string]any{"queryType": "logs", "query": `ip:"${__value.raw}"`}, link.Internal.Query)
}

func TestTopLocations(t *testing.T) {
	f := topFrame("ip", Options{})
	assert.Equal(t, []string{"ip", "count", "share", "first_seen", "last_seen", "country", "city", "latitude", "longitude"}, fieldNames(f))
	lat, _ := f.FieldByName("latitude")
	long, _ := f.FieldByName("longitude")
	assert.Equal(t, data.FieldTypeNullableFloat64, lat.Type())
	ip, _ := f.FieldByName("ip")
	require.Equal(t, "192.0.2.10", ip.At(1), "the fixture's IP without a location")
	assert.Nil(t, lat.At(1))
	assert.Nil(t, long.At(1))
	require.NotNil(t, lat.At(0))
	assert.InDelta(t, 52.52, *lat.At(0).(*float64), 1e-9)

	assert.Equal(t, []string{"client_name", "count", "share", "first_seen", "last_seen"}, fieldNames(topFrame("client_name", Options{})),
		"only ip gets location columns")
}

func TestTopShares(t *testing.T) {
	entries := []aggregate.TopEntry{{Value: "a", Count: 3, Share: 0.99}, {Value: "b", Count: 1}}
	f := Top(entries, 4, "user_name", Options{})
	share, _ := f.FieldByName("share")
	assert.Equal(t, []any{0.75, 0.25}, []any{share.At(0), share.At(1)}, "shares follow count/total")
	assert.Equal(t, "percentunit", share.Config.Unit)
	f = Top(entries, 0, "user_name", Options{})
	assert.Equal(t, 0.99, f.Fields[2].At(0), "without a total the entry's share is kept")
}

func TestValuesFrame(t *testing.T) {
	in := []string{"fu", "s"}
	f := Values(in)
	assert.Equal(t, []string{"text", "value"}, fieldNames(f))
	assert.Equal(t, []any{"fu", "s", "fu", "s"}, []any{f.Fields[0].At(0), f.Fields[0].At(1), f.Fields[1].At(0), f.Fields[1].At(1)})
	in[0] = "changed"
	assert.Equal(t, "fu", f.Fields[0].At(0), "the frame does not alias its input")
	assert.Zero(t, Values(nil).Rows())
}
