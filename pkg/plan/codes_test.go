package plan

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/models"
)

// TestAnUnknownCodeInTheQueryTextGetsTheFilterNotice: type:zz used to pass without a word while
// the same code in the event-type filter got a notice. Both now say the same.
func TestAnUnknownCodeInTheQueryTextGetsTheFilterNotice(t *testing.T) {
	viaFilter := build(t, models.Query{QueryType: models.QueryTypeCount, EventTypes: []string{"zz"}})
	require.Len(t, viaFilter.Notices, 1)
	cases := map[string][]string{
		`type:zz`:                                  {"zz"},
		`type:("fu" OR "zz")`:                      {"zz"},
		`type:"fu" OR type:"zz" OR type:"yy"`:      {"zz", "yy"},
		`NOT type:zz AND ip:"1.2.3.4"`:             {"zz"},
		`(type:zz OR type:zz) AND user_name:"bob"`: {"zz"},
		`type:fu AND description:"zz"`:             nil,
		`type:z*`:                                  nil,
		`zz`:                                       nil,
		``:                                         nil,
	}
	for q, codes := range cases {
		p := build(t, models.Query{QueryType: models.QueryTypeCount, Query: q})
		var want []string
		for _, c := range codes {
			want = append(want, unknownCodeNotice(c))
		}
		assert.Equal(t, want, p.Notices, q)
	}
	p := build(t, models.Query{QueryType: models.QueryTypeCount, Query: "type:zz"})
	assert.Equal(t, viaFilter.Notices, p.Notices, "one wording for both routes")
}

// TestUnknownModelKeysBecomeNotices: the notice a panel shows for {"q": ...}.
func TestUnknownModelKeysBecomeNotices(t *testing.T) {
	q, err := models.ParseQuery(json.RawMessage(`{"queryType":"count","q":"type:fu"}`), "")
	require.NoError(t, err)
	p, err := Build(q, in)
	require.NoError(t, err)
	require.Len(t, p.Notices, 1)
	assert.Contains(t, p.Notices[0], `"q"`)
	assert.Contains(t, p.Notices[0], `did you mean "query"`)
}
