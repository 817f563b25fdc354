package emulator

import (
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltinFilterMatches(t *testing.T) {
	day := func(d, h int) time.Time { return time.Date(2024, 1, d, h, 0, 0, 0, time.UTC) }
	evs := []event.Event{
		{LogID: "a", Type: "s", Date: day(1, 0), Description: "Login ok", UserID: "auth0|1"},
		{LogID: "b", Type: "f", Date: day(1, 23), Description: "Wrong password", UserID: "auth0|2"},
		{LogID: "c", Type: "sapi", Date: day(2, 0), Description: "Create a rule", UserID: "auth0|1"},
		{LogID: "d", Type: "s", Date: day(3, 12), Description: "Login ok", UserID: "auth0|3"},
	}
	tests := []struct {
		q    string
		want []string
	}{
		{"", []string{"a", "b", "c", "d"}},
		{"   ", []string{"a", "b", "c", "d"}},
		{"type:s", []string{"a", "d"}},
		{`type:"s"`, []string{"a", "d"}},
		{`description:"Create a rule"`, []string{"c"}},
		{`description:"rule"`, nil}, // not tokenized: exact only
		{`user_id:auth0|1 AND type:sapi`, []string{"c"}},
		{`type:f OR type:sapi`, []string{"b", "c"}},
		{`type:s AND user_id:"auth0|3" OR type:f`, []string{"b", "d"}}, // AND binds tighter
		{`date:[2024-01-01 TO 2024-01-02}`, []string{"a", "b"}},
		{`date:{2024-01-01 TO 2024-01-02]`, []string{"b", "c"}},
		{`date:[2024-01-02 TO *]`, []string{"c", "d"}},
		{`date:[* TO 2024-01-01T23:00:00}`, []string{"a"}},
		{`date:[2024-01-01T23:00:00Z TO 2024-01-01T23:00:00.000Z]`, []string{"b"}},
		{`date:[2024-01 TO 2024-02}`, []string{"a", "b", "c", "d"}},
		{`log_id:[b TO c]`, []string{"b", "c"}},
		{`log_id:{b TO *]`, []string{"c", "d"}},
		{`type:"say \"hi\""`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			match, err := BuiltinFilter(tc.q)
			require.NoError(t, err)
			var got []string
			for i := range evs {
				if match(&evs[i]) {
					got = append(got, evs[i].LogID)
				}
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestBuiltinFilterRejects(t *testing.T) {
	tests := map[string]string{
		`user_email:"x"`:                 `unknown field "user_email"`,
		`details.error:x`:                `unknown field "details.error"`,
		`type:`:                          "empty value",
		`type:""`:                        "empty quoted value",
		`type:"s`:                        "unterminated",
		`jane`:                           "has no field",
		`user_name:j*`:                   "wildcards",
		`description:*rule`:              "wildcards",
		`type:s?`:                        "wildcards",
		`NOT type:s`:                     "NOT",
		`-type:s`:                        "NOT",
		`(type:s OR type:f)`:             "parentheses",
		`type:s type:f`:                  "expected AND or OR",
		`type:s AND`:                     "ends with an operator",
		`AND type:s`:                     "needs a term before it",
		`date:2024-01-01`:                "only by range",
		`date:[2024-01-01 2024-01-02]`:   "expected TO",
		`date:[2024-01-01 TO 2024-01-02`: "expected ] or }",
		`date:[yesterday TO *]`:          `invalid date "yesterday"`,
		`ip:1.2.3.4:80`:                  "special characters",
	}
	for q, want := range tests {
		t.Run(q, func(t *testing.T) {
			_, err := BuiltinFilter(q)
			require.Error(t, err)
			assert.Contains(t, err.Error(), want)
		})
	}
}
