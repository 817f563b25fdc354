package emulator

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Auth0 caps what search paging can reach; beyond it a client must use checkpoint mode.
const (
	maxPerPage     = 100
	defaultPerPage = 50
	maxTake        = 100
	defaultTake    = 50
	maxReachable   = 1000
)

// sortableFields are the names Auth0's OpenAPI pattern allows in sort and fields.
var sortableFields = []string{
	"date", "connection", "client_id", "client_name", "ip", "user_id", "user_name",
	"description", "user_agent", "type", "details", "strategy", "strategy_type",
}

var fieldsPattern = "^(" + strings.Join(sortableFields, "|") + ")(,(" + strings.Join(sortableFields, "|") + "))*$"

// sortOrder is a parsed sort parameter; field "" means log_id, the order Auth0 uses without sort.
type sortOrder struct {
	field string
	desc  bool
}

// searchParams are the search-mode parameters shared by /logs and /users/{id}/logs.
type searchParams struct {
	page, perPage int
	order         sortOrder
	totals        bool
	fields        []string // nil: all fields
	include       bool     // include_fields: fields lists what to keep (true) or to drop (false)
}

// parseSearch validates the paging, sort and projection parameters. withFields is false for the
// user-logs endpoint, which has no fields parameter and so ignores one.
func parseSearch(v url.Values, withFields bool) (searchParams, *apiError) {
	p := searchParams{order: sortOrder{desc: true}, include: true}
	var err *apiError
	if p.page, err = intParam(v, "page", 0, 0, -1); err != nil {
		return p, err
	}
	if p.perPage, err = intParam(v, "per_page", defaultPerPage, 0, maxPerPage); err != nil {
		return p, err
	}
	if p.order, err = sortParam(v); err != nil {
		return p, err
	}
	if p.totals, err = boolParam(v, "include_totals", false); err != nil {
		return p, err
	}
	if withFields {
		if p.include, err = boolParam(v, "include_fields", true); err != nil {
			return p, err
		}
		if p.fields, err = fieldsParam(v); err != nil {
			return p, err
		}
	}
	// page is compared first so a huge page cannot overflow the product.
	if p.perPage > 0 && (p.page >= maxReachable || (p.page+1)*p.perPage > maxReachable) {
		return p, newAPIError(400, fmt.Sprintf("Requesting page %d exceeds the allowed maximum of %d records: "+
			"please consider searching by checkpoint "+
			"https://auth0.com/docs/logs/retrieve-log-events-using-mgmt-api#retrieve-logs-by-checkpoint",
			p.page+1, maxReachable), "invalid_paging")
	}
	return p, nil
}

// parseTake reads checkpoint mode's take. Evidence from export tools suggests Auth0 caps a larger
// take rather than rejecting it, so it is clamped to 100; a non-integer is still a 400.
func parseTake(v url.Values) (int, *apiError) {
	take, err := intParam(v, "take", defaultTake, 0, -1)
	return min(take, maxTake), err
}

func validationError(property, problem string) *apiError {
	return newAPIError(400, fmt.Sprintf("Query validation error: '%s' on property %s", problem, property),
		"invalid_query_string")
}

// intParam parses an integer parameter within [lo, hi]; hi < 0 means no upper bound.
func intParam(v url.Values, name string, def, lo, hi int) (int, *apiError) {
	if !v.Has(name) {
		return def, nil
	}
	n, err := strconv.Atoi(v.Get(name))
	switch {
	case err != nil:
		return 0, validationError(name, "Expected type integer but found type string")
	case n < lo:
		return 0, validationError(name, fmt.Sprintf("Too small: must be at least %d", lo))
	case hi >= 0 && n > hi:
		return 0, validationError(name, fmt.Sprintf("Too big: must be at most %d", hi))
	}
	return n, nil
}

func boolParam(v url.Values, name string, def bool) (bool, *apiError) {
	if !v.Has(name) {
		return def, nil
	}
	switch v.Get(name) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, validationError(name, "Expected type boolean but found type string")
}

func sortParam(v url.Values) (sortOrder, *apiError) {
	if !v.Has("sort") {
		return sortOrder{desc: true}, nil
	}
	field, dir, ok := strings.Cut(v.Get("sort"), ":")
	if !ok || !slices.Contains(sortableFields, field) || (dir != "1" && dir != "-1") {
		return sortOrder{}, validationError("sort", "String does not match pattern: ^("+
			strings.Join(sortableFields, "|")+"):(1|-1)$")
	}
	return sortOrder{field: field, desc: dir == "-1"}, nil
}

// fieldsParam follows the OpenAPI pattern strictly (the same 13 names as sort), so a client that
// works here does not send a list the real API would reject. An empty value means all fields.
func fieldsParam(v url.Values) ([]string, *apiError) {
	raw := v.Get("fields")
	if raw == "" {
		return nil, nil
	}
	names := strings.Split(raw, ",")
	for _, n := range names {
		if !slices.Contains(sortableFields, n) {
			return nil, validationError("fields", "String does not match pattern: "+fieldsPattern)
		}
	}
	return names, nil
}
