package eventtypes

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedDir is where the shared seed documents live, relative to this package.
var seedDir = filepath.Join("..", "..", "..", "shared", "seeds")

func readSeed(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(seedDir, name))
	if os.IsNotExist(err) {
		t.Skipf("seed document %s not found under %s; this check needs the shared seeds", name, seedDir)
	}
	require.NoError(t, err)
	return string(b)
}

func TestEmbeddedTSVIsTheSeedCopy(t *testing.T) {
	assert.Equal(t, readSeed(t, "event-codes.tsv"), codesTSV, "event-codes.tsv differs from the shared seed; copy it again")
}

func TestEveryTSVCodeHasARealCategoryAndOutcome(t *testing.T) {
	rows, err := parseTSV(codesTSV)
	require.NoError(t, err)
	require.Len(t, All(), len(rows))
	validCats := map[string]bool{}
	for _, c := range Categories() {
		validCats[c.ID] = true
	}
	for _, r := range rows {
		require.True(t, Known(r.Code), r.Code)
		got := Lookup(r.Code)
		assert.NotEqual(t, CategoryOther, got.Category, r.Code)
		assert.True(t, validCats[got.Category], "%s has unknown category %q", r.Code, got.Category)
		assert.True(t, got.Outcome.Valid(), "%s has outcome %q", r.Code, got.Outcome)
		assert.Equal(t, r.Name, got.Name, r.Code)
		assert.Equal(t, r.Source, got.Source, r.Code)
		assert.Equal(t, got.Category, CategoryOf(r.Code))
	}
}

func TestEachCodeInExactlyOneCategory(t *testing.T) {
	owner := map[string]string{}
	for _, c := range Categories() {
		for _, code := range CodesIn(c.ID) {
			prev, dup := owner[code]
			require.False(t, dup, "%s is in %s and %s", code, prev, c.ID)
			owner[code] = c.ID
			assert.Equal(t, c.ID, Lookup(code).Category)
		}
	}
	assert.Len(t, owner, len(All()), "every catalog code must be in some category")
}

func TestCategoriesAreUsable(t *testing.T) {
	cats := Categories()
	assert.GreaterOrEqual(t, len(cats), 15)
	assert.LessOrEqual(t, len(cats), 20)
	ids := map[string]bool{}
	for _, c := range cats {
		assert.False(t, ids[c.ID], "duplicate id %s", c.ID)
		ids[c.ID] = true
		assert.NotEmpty(t, c.Name, c.ID)
		assert.NotEmpty(t, c.Description, c.ID)
		if c.ID == CategoryOther {
			assert.Empty(t, CodesIn(c.ID), "other is for unknown codes only")
			continue
		}
		codes := CodesIn(c.ID)
		assert.NotEmpty(t, codes, c.ID)
		assert.True(t, slices.IsSorted(codes), c.ID)
	}
	assert.Equal(t, CategoryOther, cats[len(cats)-1].ID, "other is shown last")
	for _, id := range []string{"login_success", "login_failure", "signup", "token_exchange_success",
		"token_exchange_failure", "silent_auth", "anomaly_detection", "mfa", "passwordless",
		"password_email_change", "logout", "management_api", "rate_limits", "system", "other"} {
		assert.True(t, ids[id], "required category %s missing", id)
	}
}

func TestLookupUnknownCode(t *testing.T) {
	got := Lookup("brand_new_type")
	assert.Equal(t, EventType{Code: "brand_new_type", Name: "brand_new_type", Category: CategoryOther, Outcome: OutcomeInfo}, got)
	assert.False(t, Known("brand_new_type"))
	assert.Equal(t, CategoryOther, CategoryOf("brand_new_type"))
	assert.Equal(t, "debug", got.Outcome.LogLevel())
	assert.False(t, Known(""))
}

func TestLegacyAndCurrentNames(t *testing.T) {
	for _, et := range All() {
		assert.Equal(t, et.Source == "logs-overview-and-legacy-codes.md", et.Legacy, et.Code)
	}
	assert.True(t, Lookup("du").Legacy)
	assert.True(t, Lookup("sys_update_start").Legacy)
	assert.False(t, Lookup("s").Legacy)
	// Both seed pages list these; the current page's wording wins.
	assert.Equal(t, "Rate Limit on the Authentication or Management APIs", Lookup("api_limit").Name)
	assert.Equal(t, "MFA Auth failed", Lookup("gd_auth_failed").Name)
	assert.Equal(t, "Successfully imported users", Lookup("sui").Name)
}

func TestAllIsSortedAndACopy(t *testing.T) {
	all := All()
	require.True(t, slices.IsSortedFunc(all, func(a, b EventType) int { return strings.Compare(a.Code, b.Code) }))
	all[0].Name = "changed"
	assert.NotEqual(t, "changed", All()[0].Name)
	codes := CodesIn(CategoryLoginFailure)
	codes[0] = "changed"
	assert.NotEqual(t, "changed", CodesIn(CategoryLoginFailure)[0])
	cats := Categories()
	cats[0].Name = "changed"
	assert.NotEqual(t, "changed", Categories()[0].Name)
}

func TestCatalogDataJSONRoundTrip(t *testing.T) {
	want := CatalogData()
	b, err := json.Marshal(want)
	require.NoError(t, err)
	var got Catalog
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, want, got)

	// The frontend reads these key names.
	var raw map[string][]map[string]any
	require.NoError(t, json.Unmarshal(b, &raw))
	assert.ElementsMatch(t, []string{"code", "name", "description", "category", "outcome", "legacy", "source"}, keys(raw["types"][0]))
	assert.ElementsMatch(t, []string{"id", "name", "description"}, keys(raw["categories"][0]))
	assert.ElementsMatch(t, []string{"id", "name", "description", "codes", "source"}, keys(raw["presets"][0]))
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
