package eventtypes

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tinyTSV = "code\tevent\tdescription\tsource\n" +
	"s\tSuccess Login\tok\tnew.md\n" +
	"du\tDeleted User\t\tlogs-overview-and-legacy-codes.md\n"

func TestLoadJoinsTSVAndAssignments(t *testing.T) {
	c, err := load(tinyTSV, []assignment{
		{CategoryLoginSuccess, map[Outcome][]string{OutcomeSuccess: {"s"}}},
		{CategoryUserManagement, map[Outcome][]string{OutcomeSuccess: {"du"}}},
	}, categoryList)
	require.NoError(t, err)
	require.Len(t, c.types, 2)
	assert.Equal(t, "du", c.types[0].Code, "sorted by code")
	assert.True(t, c.types[0].Legacy)
	assert.False(t, c.types[1].Legacy)
	assert.Equal(t, []string{"s"}, c.byCategory[CategoryLoginSuccess])
}

func TestLoadRejectsInconsistentData(t *testing.T) {
	both := func(extra ...assignment) []assignment {
		return append([]assignment{
			{CategoryLoginSuccess, map[Outcome][]string{OutcomeSuccess: {"s"}}},
			{CategoryUserManagement, map[Outcome][]string{OutcomeSuccess: {"du"}}},
		}, extra...)
	}
	for name, tc := range map[string]struct {
		tsv    string
		groups []assignment
		want   string
	}{
		"unclassified code": {tinyTSV, both()[:1], `"du" from the TSV has no category`},
		"code not in TSV":   {tinyTSV, both(assignment{CategorySystem, map[Outcome][]string{OutcomeInfo: {"zzz"}}}), `"zzz" is classified but not in the TSV`},
		"code twice":        {tinyTSV, both(assignment{CategorySystem, map[Outcome][]string{OutcomeInfo: {"s"}}}), `"s" is assigned twice`},
		"bad outcome":       {tinyTSV, both(assignment{CategorySystem, map[Outcome][]string{"meh": {"x"}}}), `invalid outcome "meh"`},
		"unknown category":  {tinyTSV, both(assignment{"nope", nil}), `category "nope"`},
		"other category":    {tinyTSV, both(assignment{CategoryOther, nil}), `category "other"`},
		"bad header":        {"code\tname\n", both(), "header"},
		"short row":         {"code\tevent\tdescription\tsource\ns\tSuccess\n", both(), "line 2 has 2 fields"},
		"repeated code":     {tinyTSV + "s\tAgain\t\tx.md\n", both(), `repeated code "s"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := load(tc.tsv, tc.groups, categoryList)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseTSVKeepsTextLiterally(t *testing.T) {
	rows, err := parseTSV("code\tevent\tdescription\tsource\r\nx\t\"Quoted\" name\tsee `/x`\tnew.md\r\n\r\n")
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, `"Quoted" name`, rows[0].Name)
	assert.Equal(t, "see `/x`", rows[0].Description)
}
