package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// grafanaQueryKeys are the keys Grafana itself puts in every query model (the frontend's DataQuery,
// the query service and alerting): never the user's typo, so never flagged.
var grafanaQueryKeys = []string{
	"refId", "datasource", "datasourceId", "hide", "key", "queryType", "intervalMs", "maxDataPoints",
	"resultAssertions", "timeRange",
}

// UnknownKey is a key of a query model that no field reads, with the known key it most likely
// stands for. `{"q":"type:fu"}` would otherwise count every event without a word.
type UnknownKey struct {
	Key string
	// Suggestion is the closest known key, or "" when none is close.
	Suggestion string
}

// Message says what happened to the key and what to write instead.
func (u UnknownKey) Message() string {
	if u.Suggestion != "" {
		return fmt.Sprintf("the query model has the key %q, which this data source does not read, so it is ignored: did you mean %q?", u.Key, u.Suggestion)
	}
	return fmt.Sprintf("the query model has the key %q, which this data source does not read, so it is ignored: the keys are %s", u.Key, strings.Join(modelKeys(), ", "))
}

// ParseQueryStrict is ParseQuery for a query whose notices nobody sees, such as an alert rule's:
// an unknown key is an error, so a rule with {"q": "type:fu"} fails loudly instead of alerting on
// every event.
func ParseQueryStrict(raw json.RawMessage, queryType string) (Query, error) {
	q, err := ParseQuery(raw, queryType)
	if err != nil || len(q.Unknown) == 0 {
		return q, err
	}
	msgs := make([]string, len(q.Unknown))
	for i, u := range q.Unknown {
		msgs[i] = u.Message()
	}
	return q, errors.New(strings.Join(msgs, "; ") + " (an alert rule's query refuses unknown keys, since it cannot show a notice: fix the rule's query)")
}

// unknownKeys lists, sorted, the top-level keys of an object that neither the model nor Grafana
// uses. encoding/json matches names case-insensitively, so "Query" fills Query and is not unknown.
func unknownKeys(raw json.RawMessage) []UnknownKey {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return nil
	}
	var out []UnknownKey
	for k := range obj {
		if _, ok := queryKinds.lookup(k); ok || slices.ContainsFunc(grafanaQueryKeys, func(g string) bool { return strings.EqualFold(g, k) }) {
			continue
		}
		out = append(out, UnknownKey{Key: k, Suggestion: suggestKey(k)})
	}
	slices.SortFunc(out, func(a, b UnknownKey) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// modelKeys are the query model's own keys, in a fixed order for messages.
func modelKeys() []string {
	keys := make([]string, 0, len(queryKinds))
	for k := range queryKinds {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// suggestKey finds the model key a typo stands for: one the key abbreviates ("q" for query), or the
// nearest by edit distance when it is near enough to be the same word ("eventType", "group_by").
// Case, "_" and "-" are ignored.
func suggestKey(key string) string {
	norm := normalizeKey(key)
	if norm == "" {
		return ""
	}
	best, bestDist := "", -1
	for _, k := range modelKeys() {
		nk := normalizeKey(k)
		if strings.HasPrefix(nk, norm) && (best == "" || bestDist > 0 || len(k) < len(best)) {
			best, bestDist = k, 0 // a prefix beats any edit; among prefixes the shortest key
			continue
		}
		if bestDist == 0 {
			continue
		}
		d := editDistance(norm, nk)
		if d <= max(2, len(nk)/3) && (bestDist < 0 || d < bestDist) {
			best, bestDist = k, d
		}
	}
	return best
}

func normalizeKey(k string) string {
	return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(k))
}

// editDistance is the Levenshtein distance in bytes; keys are ASCII.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
