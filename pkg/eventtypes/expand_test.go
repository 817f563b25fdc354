package eventtypes

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExpandCategories(t *testing.T) {
	got, err := ExpandCategories([]string{CategorySilentAuth, CategorySignup, CategorySilentAuth})
	require.NoError(t, err)
	assert.Equal(t, []string{"fsa", "ssa", "fs", "ss"}, got, "ids in order, codes sorted, repeats ignored")

	got, err = ExpandCategories(nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestExpandCategoriesCoversEveryCode(t *testing.T) {
	var ids []string
	for _, c := range Categories() {
		if c.ID != CategoryOther {
			ids = append(ids, c.ID)
		}
	}
	got, err := ExpandCategories(ids)
	require.NoError(t, err)
	assert.Len(t, got, len(All()))
}

func TestExpandCategoriesErrors(t *testing.T) {
	_, err := ExpandCategories([]string{CategoryMFA, "logins"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"logins"`)
	for _, id := range []string{CategoryLoginFailure, CategoryMFA, CategorySystem} {
		assert.Contains(t, err.Error(), id, "the error must list the valid ids")
	}

	_, err = ExpandCategories([]string{CategoryOther})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "event types")

	_, err = ExpandCategories([]string{"MFA"})
	assert.Error(t, err, "ids are exact, not case-folded")
}
