package sqlwhere

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Dialect selects the SQL spelling: placeholders, pattern matching and byte-wise comparison.
type Dialect int

const (
	// SQLite uses ? placeholders and GLOB, which is case-sensitive and compares bytes.
	SQLite Dialect = iota
	// PostgreSQL uses $n placeholders, LIKE with an explicit escape, and COLLATE "C" so that
	// ranges compare bytes as Auth0's keyword fields (and logquery.Matcher) do.
	PostgreSQL
)

// DateColumn is the column that holds an event's date as Unix milliseconds (int64), rounded down.
const DateColumn = "date_ms"

// CountryField is the group name for location_info.country_code, which also has a column.
const CountryField = "country"

// CategoryField is the group name derived from type; SQL groups by type and the caller maps each
// type with eventtypes.CategoryOf, merging the cells that land in the same category.
const CategoryField = "category"

// Column says where one field lives. A plain column holds the value itself ("" when absent, never
// NULL). An interned column holds the id of the value in Dict, a table with columns (id, v), so a
// store can keep long repeated strings once; predicates then select ids from Dict.
type Column struct {
	Name string
	Dict string
}

// Schema maps each searchable field (event.SearchableFields except date) and "country" to its
// column. Every field must be present.
type Schema map[string]Column

// DefaultSchema is one plain column per field, named as the field.
func DefaultSchema() Schema {
	s := Schema{CountryField: {Name: CountryField}}
	for _, f := range event.SearchableFields {
		if f != "date" {
			s[f] = Column{Name: f}
		}
	}
	return s
}

// StringFields are the fields a Schema maps, in a fixed order (for CREATE TABLE and inserts).
func StringFields() []string {
	out := make([]string, 0, len(event.SearchableFields))
	for _, f := range event.SearchableFields {
		if f != "date" {
			out = append(out, f)
		}
	}
	return append(out, CountryField)
}

// Value reads a field of e as the store keeps it: the searchable field, or the country code.
func Value(e *event.Event, field string) string {
	if field == CountryField {
		return e.Country()
	}
	v, _ := e.Field(field)
	return v
}

// GroupColumn is the column a models.GroupFields name groups by, and whether the grouped values
// are types to be mapped to categories. An interned column groups by id: the caller maps ids to
// strings (Column.Dict says where).
func (s Schema) GroupColumn(field string) (Column, bool, error) {
	if field == CategoryField {
		c, ok := s["type"]
		if !ok {
			return Column{}, false, fmt.Errorf("the store's schema has no type column")
		}
		return c, true, nil
	}
	c, ok := s[field]
	if !ok {
		return Column{}, false, fmt.Errorf("cannot group by %q: the store has no column for it", field)
	}
	return c, false, nil
}

// builder collects bind arguments and writes placeholders in the dialect's spelling.
type builder struct {
	d      Dialect
	s      Schema
	offset int
	args   []any
	sb     strings.Builder
}

func (b *builder) arg(v any) {
	b.args = append(b.args, v)
	if b.d == PostgreSQL {
		b.sb.WriteString("$")
		b.sb.WriteString(strconv.Itoa(b.offset + len(b.args)))
		return
	}
	b.sb.WriteString("?")
}

func (b *builder) str(s string) { b.sb.WriteString(s) }
