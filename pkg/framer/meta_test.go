package framer

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestApplyMeta(t *testing.T) {
	logs := Logs(fixtureEvents(), Options{})
	logs.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo, Text: "from the framer"})
	bare := data.NewFrame("bare")
	frames := data.Frames{logs, bare, nil}

	stats := []data.QueryStat{{FieldConfig: data.FieldConfig{DisplayName: "Pages fetched"}, Value: 2}}
	ApplyMeta(frames, Meta{
		ExecutedQueryString: "GET /api/v2/logs?q=type:fu",
		Stats:               stats,
		Notices:             []data.Notice{{Severity: data.NoticeSeverityWarning, Text: "result truncated"}},
		Custom:              map[string]any{"pages": 2},
	})

	for _, f := range []*data.Frame{logs, bare} {
		require.NotNil(t, f.Meta)
		assert.Equal(t, "GET /api/v2/logs?q=type:fu", f.Meta.ExecutedQueryString)
		assert.Equal(t, stats, f.Meta.Stats)
		assert.Equal(t, map[string]any{"pages": 2}, f.Meta.Custom)
	}
	assert.Equal(t, data.FrameTypeLogLines, logs.Meta.Type, "type survives")
	assert.Equal(t, data.VisType(data.VisTypeLogs), logs.Meta.PreferredVisualization)
	assert.Equal(t, []string{"from the framer", "result truncated"}, []string{logs.Meta.Notices[0].Text, logs.Meta.Notices[1].Text})
	assert.Len(t, bare.Meta.Notices, 1)

	ApplyMeta(frames, Meta{})
	assert.Equal(t, "GET /api/v2/logs?q=type:fu", logs.Meta.ExecutedQueryString, "an empty Meta changes nothing")
	assert.Len(t, logs.Meta.Notices, 2)
}
