package aggregate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/models"
)

func TestKeyForEveryGroupField(t *testing.T) {
	e := ev("2024-03-10T00:00:00Z", "fu", "1.2.3.4", user("a@b.c", "auth0|1"), client("Web", "cid"),
		conn("Username-Password-Authentication", "auth0"), loc("DE", "Berlin", 52.5, 13.4))
	want := map[string]string{
		"type": "fu", "category": "login_failure", "ip": "1.2.3.4", "user_name": "a@b.c", "user_id": "auth0|1",
		"client_name": "Web", "client_id": "cid", "connection": "Username-Password-Authentication",
		"strategy": "auth0", "country": "DE",
	}
	require.Len(t, want, len(models.GroupFields), "a group field was added: extend this test")
	for _, field := range models.GroupFields {
		k, err := KeyFor(field)
		require.NoError(t, err, field)
		assert.Equal(t, want[field], k(&e), field)
	}
}

func TestKeyForMissingValues(t *testing.T) {
	e := event.Event{Type: "brand_new_code"}
	assert.Equal(t, "", mustKey("country")(&e), "no location means no country")
	assert.Equal(t, "", mustKey("ip")(&e))
	assert.Equal(t, "other", mustKey("category")(&e), "unknown codes fall in other")
}

func TestKeyForUnknownField(t *testing.T) {
	k, err := KeyFor("details")
	assert.Nil(t, k)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"details"`)
	for _, f := range models.GroupFields {
		assert.Contains(t, err.Error(), f)
	}
}
