package models

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// QueryType selects what a query returns. It is the top-level queryType of Grafana's query JSON,
// which the SDK's QueryTypeMux routes on.
type QueryType string

// The query types.
const (
	QueryTypeLogs     QueryType = "logs"     // newest events, as a logs frame for Explore and logs panels
	QueryTypeTable    QueryType = "table"    // newest events, flattened into columns
	QueryTypeCount    QueryType = "count"    // time series of event counts per bucket and group
	QueryTypeDistinct QueryType = "distinct" // time series of distinct values of a field per bucket
	QueryTypeTop      QueryType = "top"      // the top N values of a field with counts
	QueryTypeValues   QueryType = "values"   // the distinct values of a field, for template variables
	// QueryTypeIngestion is the tenant log store's tail as numbers (lag, events held), for the
	// "ingestion stalled" alert rule; it reads no events.
	QueryTypeIngestion QueryType = "ingestion"
)

// QueryTypes lists every query type, in the order the editor offers them.
var QueryTypes = []QueryType{QueryTypeLogs, QueryTypeTable, QueryTypeCount, QueryTypeDistinct, QueryTypeTop, QueryTypeValues, QueryTypeIngestion}

// GroupFields are the fields a query may group, rank or count distinct values by. "category" is the
// event-type family and "country" the location_info country code; the rest are Auth0 fields.
var GroupFields = []string{"type", "category", "ip", "user_name", "user_id", "client_name", "client_id", "connection", "strategy", "country"}

// pathExamples are field paths shown where a field is refused.
const pathExamples = "security_context.ja4, details.request.path, user_name.domain or user_agent.family"

// Groupable reports whether a query may group, rank or count distinct values by field: one of
// GroupFields, or a field path the plugin reads from each event (event.IsPath).
func Groupable(field string) bool {
	return slices.Contains(GroupFields, field) || event.IsPath(field)
}

// Limits on what one query may ask for.
const (
	DefaultLogsLimit = 100
	MaxLogsLimit     = 1000 // Auth0 serves at most 1,000 results of one search
	DefaultTopLimit  = 10
	// DefaultSeriesLimit is how many groups a grouped count or distinct query draws; the rest are
	// summed into one "(other)" series.
	DefaultSeriesLimit = 25
	MaxTopLimit        = 1000
	MaxQueryLength     = 4096 // longer q strings risk Auth0's 414 and are never needed
)

// Query is the query model, identical from a panel, from Explore and from an alert rule.
type Query struct {
	QueryType QueryType `json:"queryType"`
	// Query is in Auth0's log search syntax; empty means every event in the time range.
	Query string `json:"query,omitempty"`
	// EventTypes and Categories are ORed together, then ANDed with Query.
	EventTypes []string `json:"eventTypes,omitempty"`
	Categories []string `json:"categories,omitempty"`
	// GroupBy splits count and distinct series, and is the ranked field of top and values.
	GroupBy string `json:"groupBy,omitempty"`
	// DistinctField is the field whose distinct values a distinct query counts.
	DistinctField string `json:"distinctField,omitempty"`
	// Interval is the bucket width ("1h", "1d"); empty means Grafana's interval.
	Interval string `json:"interval,omitempty"`
	// Limit is the number of events (logs, table), of values (top, values) or of series (a grouped
	// count or distinct, the rest summed into "(other)").
	Limit int `json:"limit,omitempty"`
	// LegendFormat names series, e.g. "{{type}}"; empty means the group value.
	LegendFormat string `json:"legendFormat,omitempty"`
	// KeepAllGroups draws one series per group with no fold into "(other)", whatever Limit says:
	// an alert rule needs one series per IP or user to fire per IP or user. The plan forces it on
	// for every query an alert rule sends.
	KeepAllGroups bool `json:"keepAllGroups,omitempty"`
	// MinCount keeps only the groups whose total over the whole range (events for count, distinct
	// values for distinct) is at least this; the rest are dropped, not folded. An attack from
	// 3,000 IPs then yields the attacking IPs, not thousands of quiet series that would exhaust
	// Grafana's per-rule limit on evaluation results. 0 keeps every group.
	MinCount int64 `json:"minCount,omitempty"`
	// Baseline adds what the count should be, from the same time on earlier days or weeks (see
	// pkg/baseline): "band" returns the count with its expected value, band and anomaly score,
	// "score" only the score (for an alert rule, which would otherwise judge every field). Empty
	// is none. Count queries only, ungrouped.
	Baseline string `json:"baseline,omitempty"`

	// Unknown are the keys of the query JSON that no field reads (a typo such as "q" for "query"),
	// found by ParseQuery. They are never sent back: the plan turns them into notices, and
	// ParseQueryStrict into an error.
	Unknown []UnknownKey `json:"-"`
}

// queryKinds says what each key of the query model holds, for the message about a wrongly typed
// value. It is also the list of keys ParseQuery knows; Grafana's own keys are in grafanaQueryKeys.
var queryKinds = kinds{
	"queryType": "text", "query": "text", "eventTypes": "a list of text", "categories": "a list of text",
	"groupBy": "text", "distinctField": "text", "interval": "text", "limit": "a whole number",
	"legendFormat": "text", "keepAllGroups": "true or false", "minCount": "a whole number",
	"baseline": "text",
}

// ParseQuery decodes a query's JSON and applies the defaults, so a query sent by an alert rule with
// only queryType and query behaves like one built in the editor. queryType is the request's own
// query type (Grafana's alerting sends it beside the model); it fills a model that has none.
//
// A key the model does not know is not an error here (a panel shows it as a notice, through the
// plan); it is listed in Query.Unknown. Use ParseQueryStrict where no notice can be seen.
func ParseQuery(raw json.RawMessage, queryType string) (Query, error) {
	var q Query
	if len(raw) > 0 {
		if err := decodeObject(raw, &q, queryKinds, nil); err != nil {
			return q, fmt.Errorf("the query is not valid JSON for this data source: %v", err)
		}
		q.Unknown = unknownKeys(raw)
	}
	if q.QueryType == "" {
		q.QueryType = QueryType(queryType)
	}
	q.ApplyDefaults()
	return q, q.Validate()
}

// ApplyDefaults fills what an incomplete query leaves out.
func (q *Query) ApplyDefaults() {
	q.Query = strings.TrimSpace(q.Query)
	q.GroupBy, q.DistinctField = strings.TrimSpace(q.GroupBy), strings.TrimSpace(q.DistinctField)
	if q.QueryType == "" {
		q.QueryType = QueryTypeLogs
	}
	switch q.QueryType {
	case QueryTypeLogs, QueryTypeTable:
		if q.Limit == 0 {
			q.Limit = DefaultLogsLimit
		}
	case QueryTypeTop, QueryTypeValues:
		if q.Limit == 0 {
			q.Limit = DefaultTopLimit
			if q.QueryType == QueryTypeValues {
				q.Limit = MaxTopLimit
			}
		}
		if q.GroupBy == "" {
			q.GroupBy = "ip"
		}
	case QueryTypeDistinct, QueryTypeCount:
		if q.QueryType == QueryTypeDistinct && q.DistinctField == "" {
			q.DistinctField = "ip"
		}
		if q.GroupBy != "" && q.Limit == 0 {
			q.Limit = DefaultSeriesLimit
		}
	}
}

// Validate rejects a query that cannot succeed, before any API call is spent on it.
func (q Query) Validate() error {
	if !slices.Contains(QueryTypes, q.QueryType) {
		return fmt.Errorf("unknown query type %q: use one of %s", q.QueryType, joinTypes())
	}
	if len(q.Query) > MaxQueryLength {
		return fmt.Errorf("the query is %d characters long; the limit is %d: split it or use event-type filters", len(q.Query), MaxQueryLength)
	}
	if q.GroupBy != "" && !Groupable(q.GroupBy) {
		return fmt.Errorf("cannot group by %q: use one of %s, or a field path such as %s", q.GroupBy, strings.Join(GroupFields, ", "), pathExamples)
	}
	if q.QueryType == QueryTypeDistinct && !Groupable(q.DistinctField) {
		return fmt.Errorf("cannot count distinct %q: use one of %s, or a field path such as %s", q.DistinctField, strings.Join(GroupFields, ", "), pathExamples)
	}
	if q.Interval != "" {
		if _, err := ParseInterval(q.Interval); err != nil {
			return err
		}
	}
	if err := q.validateGroups(); err != nil {
		return err
	}
	if err := q.validateBaseline(); err != nil {
		return err
	}
	max := MaxLogsLimit
	if q.QueryType == QueryTypeTop || q.QueryType == QueryTypeValues {
		max = MaxTopLimit
	}
	if q.Limit < 0 || q.Limit > max {
		return fmt.Errorf("limit %d is out of range: use 1 to %d", q.Limit, max)
	}
	return nil
}

// maxIntervalDays bounds a bucket: Auth0 keeps logs for 30 days at most, and a larger number
// would overflow a time.Duration.
const maxIntervalDays = 366

// ParseInterval reads a bucket width. Besides Go durations it accepts "d" and "w", which Grafana
// users write for daily and weekly histograms.
func ParseInterval(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	unit := time.Duration(0)
	switch {
	case strings.HasSuffix(s, "d"):
		unit = 24 * time.Hour
	case strings.HasSuffix(s, "w"):
		unit = 7 * 24 * time.Hour
	}
	var d time.Duration
	if unit != 0 {
		var n int
		if _, err := fmt.Sscanf(s[:len(s)-1], "%d", &n); err != nil || fmt.Sprint(n) != s[:len(s)-1] {
			return 0, fmt.Errorf("interval %q is not valid: use a number and a unit, e.g. 1m, 1h, 1d", s)
		}
		if n > maxIntervalDays/int(unit/(24*time.Hour)) {
			return 0, fmt.Errorf("interval %q is too long: use at most %dd", s, maxIntervalDays)
		}
		d = time.Duration(n) * unit
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("interval %q is not valid: use a number and a unit, e.g. 1m, 1h, 1d", s)
		}
	}
	if d > maxIntervalDays*24*time.Hour {
		return 0, fmt.Errorf("interval %q is too long: use at most %dd", s, maxIntervalDays)
	}
	if d < time.Second {
		return 0, fmt.Errorf("interval %q is too short: use at least 1s", s)
	}
	return d, nil
}

// MaxMinCount bounds minCount well below int64's range; no range holds more events.
const MaxMinCount = 1_000_000_000

// validateGroups checks the options that choose which groups a grouped series keeps.
func (q Query) validateGroups() error {
	if q.MinCount < 0 || q.MinCount > MaxMinCount {
		return fmt.Errorf("minCount %d is out of range: use 0 (keep every group) to %d", q.MinCount, MaxMinCount)
	}
	grouping := q.QueryType == QueryTypeCount || q.QueryType == QueryTypeDistinct
	if q.MinCount > 0 && (!grouping || q.GroupBy == "") {
		return fmt.Errorf("minCount %d keeps the groups of a grouped count or distinct query: set groupBy (e.g. ip), or remove minCount", q.MinCount)
	}
	return nil
}

// The baseline options.
const (
	BaselineBand  = "band"
	BaselineScore = "score"
)

// validateBaseline checks that a baseline is asked of one count series.
func (q Query) validateBaseline() error {
	switch {
	case q.Baseline == "":
		return nil
	case q.Baseline != BaselineBand && q.Baseline != BaselineScore:
		return fmt.Errorf("baseline %q is not an option: use %q (the count with its expected value, band and anomaly score), %q (the score alone, for alert rules) or leave it empty", q.Baseline, BaselineBand, BaselineScore)
	case q.QueryType != QueryTypeCount:
		return fmt.Errorf("baseline is an option of count queries, not %s: set queryType to count, or remove baseline", q.QueryType)
	case q.GroupBy != "":
		return fmt.Errorf("baseline works on one series, and this count is grouped by %s: remove groupBy, or use one query per group with a filter", q.GroupBy)
	}
	return nil
}

// SeriesLimit is how many groups a grouped series keeps before folding the rest into "(other)";
// 0 keeps every group.
func (q Query) SeriesLimit() int {
	if q.KeepAllGroups {
		return 0
	}
	return q.Limit
}

func joinTypes() string {
	names := make([]string, len(QueryTypes))
	for i, t := range QueryTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}
