package eventtypes

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tableCode matches the first cell of a markdown table row when it is a code in backticks.
var tableCode = regexp.MustCompile("^\\|\\s*`([a-z_]+)`\\s*\\|")

// codeTablesBySection returns, per "## " heading, the codes of the markdown tables under it. Codes
// before the first heading are under "".
func codeTablesBySection(doc string) map[string][]string {
	out := map[string][]string{}
	section := ""
	for _, line := range strings.Split(doc, "\n") {
		line = strings.TrimSpace(line)
		if h, ok := strings.CutPrefix(line, "## "); ok {
			section = strings.TrimSpace(h)
			continue
		}
		if m := tableCode.FindStringSubmatch(line); m != nil {
			out[section] = append(out[section], m[1])
		}
	}
	return out
}

// withoutFields drops table rows that name a log field rather than an event type. The anomaly guide
// lists "ip" in its failure table as a field to use alongside fu; only that one is expected.
func withoutFields(t *testing.T, codes []string) []string {
	t.Helper()
	var kept, dropped []string
	for _, c := range codes {
		if Known(c) {
			kept = append(kept, c)
		} else {
			dropped = append(dropped, c)
		}
	}
	assert.Equal(t, []string{"ip"}, dropped, "only the ip field row may be dropped")
	return kept
}

func TestAnomalyPresetsMatchTheGuide(t *testing.T) {
	tables := codeTablesBySection(readSeed(t, "anomaly-detection-events.md"))

	// The first table has no heading of its own; the guide's chart for it is "Traffic Failure Trends".
	p, ok := PresetByID("traffic-failure-trends")
	require.True(t, ok)
	assert.Equal(t, withoutFields(t, tables[""]), p.Codes)

	for id, heading := range map[string]string{
		"login-flow":        "Rate of errors in login flow",
		"anomaly-detection": "Rate of anomaly detection events",
	} {
		p, ok := PresetByID(id)
		require.True(t, ok, id)
		require.NotEmpty(t, tables[heading], "seed has no table under %q", heading)
		assert.Equal(t, tables[heading], p.Codes, id)
		assert.Equal(t, heading, p.Name, id)
		assert.Equal(t, "anomaly-detection-events.md", p.Source, id)
	}
}

func TestIncidentPresetMatchesTheGuide(t *testing.T) {
	doc := readSeed(t, "incident-response-using-logs.md")
	var want []string
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`type:"([a-z_]+)"`).FindAllStringSubmatch(doc, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			want = append(want, m[1])
		}
	}
	p, ok := PresetByID("incident-response")
	require.True(t, ok)
	assert.Equal(t, want, p.Codes)
	assert.Equal(t, "incident-response-using-logs.md", p.Source)
}

func TestPresetsAreWellFormed(t *testing.T) {
	presets := Presets()
	require.Len(t, presets, 4)
	ids := map[string]bool{}
	for _, p := range presets {
		assert.False(t, ids[p.ID], "duplicate preset %s", p.ID)
		ids[p.ID] = true
		assert.NotEmpty(t, p.Name, p.ID)
		assert.NotEmpty(t, p.Description, p.ID)
		for _, c := range p.Codes {
			assert.True(t, Known(c), "preset %s has unknown code %s", p.ID, c)
		}
	}
	_, ok := PresetByID("nope")
	assert.False(t, ok)

	p, _ := PresetByID("login-flow")
	p.Codes[0] = "changed"
	again, _ := PresetByID("login-flow")
	assert.Equal(t, "s", again.Codes[0], "callers must not be able to change a preset")
}
