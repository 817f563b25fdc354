package plugin

import (
	"context"
	"fmt"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
)

// selfServiceLogReadsPerMinute is the rate Auth0 documents for reading logs on self-service
// plans; it is the ceiling assumed when Auth0's answer carried no rate-limit headers.
const selfServiceLogReadsPerMinute = 100

// retentionReport is how far back the tenant's logs go, and what it cost to learn it.
type retentionReport struct {
	// Oldest is the date of the oldest log Auth0 holds; zero when the tenant has none.
	Oldest time.Time `json:"oldest,omitzero"`
	// FromStore is set when the store's backfill learned it, at no request.
	FromStore bool `json:"fromStore,omitempty"`
	// Problem says why it could not be learned.
	Problem string `json:"problem,omitempty"`
}

// retention learns the oldest log Auth0 holds: from the store's backfill when it found where
// Auth0's logs end, else with one search, oldest first, one log.
func (d *Datasource) retention(ctx context.Context) retentionReport {
	if d.store.handle != nil {
		if st, err := d.store.handle.Status(ctx); err == nil && !st.Backfill.Auth0HoldsFrom.IsZero() {
			return retentionReport{Oldest: st.Backfill.Auth0HoldsFrom, FromStore: true}
		}
	}
	oldest, err := d.client.SearchLogs(ctx, auth0.SearchParams{PerPage: 1, Sort: "date:1"})
	switch {
	case err != nil:
		return retentionReport{Problem: "cannot read the oldest log: " + err.Error()}
	case len(oldest) == 0:
		return retentionReport{}
	}
	return retentionReport{Oldest: oldest[0].Date}
}

// sentence says how far back the logs go in days, the plan's retention as the tenant shows it.
func (r retentionReport) sentence(now time.Time) string {
	switch {
	case r.Problem != "":
		return "Retention: " + r.Problem + "."
	case r.Oldest.IsZero():
		return ""
	}
	days := now.Sub(r.Oldest).Hours() / 24
	how := "oldest log"
	if r.FromStore {
		how = "where the store's backfill found Auth0's logs end"
	}
	return fmt.Sprintf("Retention: Auth0 holds this tenant's logs back to %s, %.1f days (%s); older events exist only if the tenant log store kept them.",
		r.Oldest.UTC().Format("2006-01-02 15:04 UTC"), days, how)
}

// limitsReport is the rate headroom Auth0 reported on the health check's own request.
type limitsReport struct {
	// Limit and Remaining are the x-ratelimit-limit and x-ratelimit-remaining headers; zero
	// Limit means the answer carried none.
	Limit     int `json:"limit,omitempty"`
	Remaining int `json:"remaining,omitempty"`
	// Setting is the data source's requests-per-minute setting; Advice is set when it is more
	// than Auth0 allows.
	Setting int    `json:"requestsPerMinute"`
	Advice  string `json:"advice,omitempty"`
}

// limits reads what Auth0 said about the bucket on the latest answer and compares the setting.
func (d *Datasource) limits() limitsReport {
	rl := d.client.Stats().LastRateLimit
	r := limitsReport{Limit: rl.Limit, Remaining: rl.Remaining, Setting: int(d.settings.RequestsPerMinute)}
	switch {
	case rl.Limit > 0 && r.Setting > rl.Limit:
		r.Advice = fmt.Sprintf("Requests per minute is %d, more than the %d-request bucket Auth0 reports for this tenant (x-ratelimit-limit): "+
			"Auth0 would answer 429 and panels would wait for the bucket to refill. Lower Requests per minute to %d or less in the data source settings.",
			r.Setting, rl.Limit, rl.Limit)
	case rl.Limit == 0 && r.Setting > selfServiceLogReadsPerMinute:
		// Without Auth0's headers the plan is unknown: say what the documented limit means.
		r.Advice = fmt.Sprintf("Requests per minute is %d; Auth0 documents %d a minute for log reads on self-service plans, "+
			"so on a self-service plan lower Requests per minute to %d or less.", r.Setting, selfServiceLogReadsPerMinute, selfServiceLogReadsPerMinute)
	}
	return r
}

func (r limitsReport) sentence() string {
	s := ""
	if r.Limit > 0 {
		s = fmt.Sprintf("Rate limit: %d of %d requests left in Auth0's bucket for this tenant.", r.Remaining, r.Limit)
		if r.Remaining*10 < r.Limit {
			s += " Other clients of the Management API are using most of it."
		}
	} else {
		s = "Rate limit: Auth0's answer carried no x-ratelimit headers."
	}
	if r.Advice != "" {
		s += " " + r.Advice
	}
	return s
}
