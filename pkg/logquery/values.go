package logquery

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// minWildcardLiteral is Auth0's rule: a pattern that is not a plain prefix (j*) needs this many
// literal characters in total (*usa is fine, *sa is not).
const minWildcardLiteral = 3

const dateForms = "use YYYY-MM-DD, YYYY-MM or YYYY-MM-DDThh:mm:ss with optional .SSS and Z; times are UTC"

// checkTerm validates an exact value for field ("" = bare term).
func checkTerm(field, value string) *problem {
	if value == "" {
		return &problem{"empty value", `give a value after the colon, e.g. type:"s"`}
	}
	if field == "date" {
		if _, _, ok := parseDate(value); !ok {
			return &problem{fmt.Sprintf("%q is not a date", value), dateForms}
		}
	}
	return nil
}

// checkWildcard validates a pattern against Auth0's wildcard rules.
func checkWildcard(field string, parts []string) *problem {
	pattern := strings.Join(parts, "*")
	if len(parts) < 2 {
		return &problem{fmt.Sprintf("wildcard %q has no *", pattern), "use a term for an exact value"}
	}
	if event.IsPath(field) {
		return nil // the plugin matches paths itself: Auth0's rules do not bind, and a lone * means "has a value"
	}
	if field == "date" {
		return &problem{"wildcards do not work on date",
			"use a range such as date:[2018-12 TO 2019-01} (a partial date covers its whole period)"}
	}
	literal := 0
	for _, p := range parts {
		literal += utf8.RuneCountInString(p)
	}
	prefix := len(parts) == 2 && parts[0] != "" && parts[1] == ""
	switch {
	case prefix:
		return nil
	case literal == 0:
		return &problem{"a lone * would match every value",
			"leave the condition out to match everything (Auth0 has no _exists_ query)"}
	case literal < minWildcardLiteral:
		return &problem{fmt.Sprintf("wildcard %q needs at least %d literal characters", pattern, minWildcardLiteral),
			"Auth0 allows fewer only as a prefix like j*; use a longer literal (e.g. *usa) or an exact value in quotes"}
	}
	return nil
}

// checkRange validates both bounds; date bounds must be dates.
func checkRange(field string, from, to Bound) *problem {
	for _, b := range []Bound{from, to} {
		if b.Open {
			continue
		}
		if b.Value == "" {
			return &problem{"range bound is empty", "give a value or use * for an open end"}
		}
		if field == "date" {
			if _, _, ok := parseDate(b.Value); !ok {
				return &problem{fmt.Sprintf("range bound %q is not a date", b.Value), dateForms}
			}
		}
	}
	return nil
}
