package eventtypes

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
)

// codesTSV is a copy of the shared seed list of event codes: code, event (name), description and
// source (the document the row was taken from).
//
//go:embed event-codes.tsv
var codesTSV string

// legacySource is the source of codes that only Auth0's old logs overview lists.
const legacySource = "logs-overview-and-legacy-codes.md"

// tsvHeader is the expected first row; a changed layout must fail loudly, not shift columns.
var tsvHeader = []string{"code", "event", "description", "source"}

// catalog is the loaded, indexed data every public function reads. It is built once at package
// load and never changed afterwards, so reads need no locking.
type catalog struct {
	types      []EventType // sorted by code
	byCode     map[string]EventType
	byCategory map[string][]string // sorted codes per category id
}

var loaded = mustLoad()

func mustLoad() catalog {
	c, err := load(codesTSV, assignments, categoryList)
	if err != nil {
		// The data is embedded and checked by the tests, so this is a build mistake, not a runtime
		// condition a caller could handle.
		panic("eventtypes: embedded catalog is inconsistent: " + err.Error())
	}
	return c
}

// load parses the TSV and joins it with the assignments; every code must be classified exactly
// once and every classified code must exist.
func load(tsv string, groups []assignment, cats []Category) (catalog, error) {
	rows, err := parseTSV(tsv)
	if err != nil {
		return catalog{}, err
	}
	class, err := classify(groups, cats)
	if err != nil {
		return catalog{}, err
	}
	c := catalog{byCode: make(map[string]EventType, len(rows)), byCategory: map[string][]string{}}
	for _, r := range rows {
		a, ok := class[r.Code]
		if !ok {
			return catalog{}, fmt.Errorf("code %q from the TSV has no category: add it to assignments", r.Code)
		}
		r.Category, r.Outcome = a.category, a.outcome
		c.byCode[r.Code] = r
		c.types = append(c.types, r)
		c.byCategory[r.Category] = append(c.byCategory[r.Category], r.Code)
	}
	for code := range class {
		if _, ok := c.byCode[code]; !ok {
			return catalog{}, fmt.Errorf("code %q is classified but not in the TSV: remove it or add its row", code)
		}
	}
	slices.SortFunc(c.types, func(a, b EventType) int { return strings.Compare(a.Code, b.Code) })
	for _, codes := range c.byCategory {
		slices.Sort(codes)
	}
	return c, nil
}

type placement struct {
	category string
	outcome  Outcome
}

func classify(groups []assignment, cats []Category) (map[string]placement, error) {
	known := make(map[string]bool, len(cats))
	for _, c := range cats {
		known[c.ID] = true
	}
	out := map[string]placement{}
	for _, g := range groups {
		if !known[g.category] || g.category == CategoryOther {
			return nil, fmt.Errorf("assignment to category %q: not a category codes can be placed in", g.category)
		}
		for o, codes := range g.outcomes {
			if !o.Valid() {
				return nil, fmt.Errorf("category %q uses invalid outcome %q", g.category, o)
			}
			for _, code := range codes {
				if prev, dup := out[code]; dup {
					return nil, fmt.Errorf("code %q is assigned twice (%s and %s)", code, prev.category, g.category)
				}
				out[code] = placement{g.category, o}
			}
		}
	}
	return out, nil
}

// parseTSV reads the seed layout. Lines are split on tabs literally, without CSV quoting, because
// descriptions may hold quotes and backticks that are plain text.
func parseTSV(tsv string) ([]EventType, error) {
	lines := strings.Split(strings.ReplaceAll(tsv, "\r\n", "\n"), "\n")
	if header := strings.Split(lines[0], "\t"); !slices.Equal(header, tsvHeader) {
		return nil, fmt.Errorf("TSV header is %q, want %q", header, tsvHeader)
	}
	var out []EventType
	seen := map[string]bool{}
	for i, line := range lines[1:] {
		if strings.TrimSpace(line) == "" {
			continue
		}
		rec := strings.Split(line, "\t")
		if len(rec) != len(tsvHeader) {
			return nil, fmt.Errorf("TSV line %d has %d fields, want %d", i+2, len(rec), len(tsvHeader))
		}
		code := strings.TrimSpace(rec[0])
		if code == "" || seen[code] {
			return nil, fmt.Errorf("TSV line %d: empty or repeated code %q", i+2, code)
		}
		seen[code] = true
		source := strings.TrimSpace(rec[3])
		out = append(out, EventType{
			Code:        code,
			Name:        strings.TrimSpace(rec[1]),
			Description: strings.TrimSpace(rec[2]),
			Source:      source,
			Legacy:      source == legacySource,
		})
	}
	return out, nil
}
