package plugin

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/plan"
)

// readmeExampleMarker opens a README paragraph whose code spans are search examples (or, when they
// start with "{", whole query models). Every such span must find events on the demo tenant.
const readmeExampleMarker = "<!-- search examples:"

// The demo tenant as the emulator serves it (pkg/cmd/auth0-emulator's defaults: seed 1, 7 days,
// 8,000 events a day, the default attacks). The demo ends now; a fixed end keeps this test the
// same every day, and the README's date example names a day inside this window.
var (
	demoEnd                        = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	demoSeed, demoDays, demoPerDay = int64(1), 7, 8000
)

var (
	codeSpan = regexp.MustCompile("`([^`\n]+)`")
	// searchStart is how an Auth0 search begins: a field name and a colon, maybe after NOT or "(".
	searchStart = regexp.MustCompile(`^(?:NOT |\()*([a-z_]+):`)
)

// looksLikeSearch is a code span that starts with a searchable field (type:, ip:, …), unlike a
// URL, a command or a permission such as read:logs.
func looksLikeSearch(span string) bool {
	m := searchStart.FindStringSubmatch(span)
	return m != nil && slices.Contains(event.SearchableFields, m[1])
}

// readmeExamples returns the code spans of the marked paragraphs, and the search-looking spans of
// the README that no marker covers (an example someone added without the marker, left untested).
func readmeExamples(readme string) (marked, unmarked []string) {
	for _, para := range strings.Split(readme, "\n\n") {
		spans := codeSpan.FindAllStringSubmatch(para, -1)
		isMarked := strings.Contains(para, readmeExampleMarker)
		for _, s := range spans {
			switch {
			case isMarked:
				marked = append(marked, s[1])
			case looksLikeSearch(s[1]):
				unmarked = append(unmarked, s[1])
			}
		}
	}
	return marked, unmarked
}

// TestReadmeSearchExamplesFindEventsOnTheDemoTenant: the README's own description:"Wrong email or
// password" found nothing on the demo tenant, whose events end with a period. Each example now
// runs through the plan, as a panel's query would, over the demo's week, and must match events
// without a notice (an unknown field or event code would give one).
func TestReadmeSearchExamplesFindEventsOnTheDemoTenant(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	examples, unmarked := readmeExamples(string(readme))
	require.GreaterOrEqual(t, len(examples), 5, "README.md has lost its marked examples (%q)", readmeExampleMarker)
	assert.Empty(t, unmarked, "search examples outside a paragraph marked %q are not checked: mark their paragraph", readmeExampleMarker)

	demo := tenant.Generate(tenant.Config{Seed: demoSeed, End: demoEnd, Days: demoDays, EventsPerDay: demoPerDay})
	for _, ex := range examples {
		t.Run(ex, func(t *testing.T) {
			var q models.Query
			if strings.HasPrefix(ex, "{") {
				q, err = models.ParseQueryStrict(json.RawMessage(ex), "")
			} else {
				q, err = models.ParseQuery(json.RawMessage(`{"queryType":"count"}`), "")
				q.Query = ex
			}
			require.NoError(t, err)
			p, err := plan.Build(q, plan.Input{From: demo.Start, To: demo.End, Interval: time.Hour})
			require.NoError(t, err)
			assert.Empty(t, p.Notices)
			matched := 0
			for i := range demo.Events {
				if p.Matcher.Match(&demo.Events[i]) {
					matched++
				}
			}
			assert.Positive(t, matched, "no event of the demo tenant matches %s", ex)
		})
	}
}

func TestReadmeExamplesAreFoundOnlyInMarkedParagraphs(t *testing.T) {
	md := "Intro `type:\"s\"` here.\n\n" + readmeExampleMarker + " x -->\nTry `type:\"fu\"` or `{\"query\":\"x\"}`.\n\n" +
		"Set `https://acme.auth0.com/api/v2/`, grant `read:logs`, run `mage -v build:linux`, export `AUTH0_DOMAIN`; `(ip:\"1.2.3.4\")`."
	marked, unmarked := readmeExamples(md)
	assert.Equal(t, []string{`type:"fu"`, `{"query":"x"}`}, marked)
	assert.Equal(t, []string{`type:"s"`, `(ip:"1.2.3.4")`}, unmarked)
}
