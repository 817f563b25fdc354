package models

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStoreSettingsDefaultsAndForms(t *testing.T) {
	s, err := LoadStoreSettings(nil)
	require.NoError(t, err)
	assert.False(t, bool(s.Enabled), "a new data source has the store off")
	assert.Equal(t, 30*time.Second, s.Poll())
	assert.EqualValues(t, 30, s.RetentionDays)

	// Provisioning expands environment variables into strings.
	s, err = LoadStoreSettings([]byte(`{"storeEnabled":"true","storePollSeconds":"5","storeBackfillDays":"7"}`))
	require.NoError(t, err)
	assert.True(t, bool(s.Enabled))
	assert.Equal(t, 5*time.Second, s.Poll())
	assert.EqualValues(t, 7, s.BackfillDays)
}

func TestStoreSettingsErrorsNameFieldAndRange(t *testing.T) {
	for body, want := range map[string]string{
		`{"storeRetentionDays":-1}`: "storeRetentionDays: -1 is out of range",
		`{"storeBackfillDays":90}`:  "Auth0 keeps at most 30 days",
		`{"storePollSeconds":1}`:    "poll every 2 to 3600 seconds",
		`{"storeEnabled":"maybe"}`:  `"maybe" is not true or false`,
	} {
		_, err := LoadStoreSettings([]byte(body))
		require.Error(t, err, body)
		assert.Contains(t, err.Error(), want, body)
	}
}
