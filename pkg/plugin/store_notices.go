package plugin

import (
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/source"
)

// storeNotices tell the user where a query's events came from when the store is on but did not
// answer all of it, and why the store is not in use when it should be.
func (d *Datasource) storeNotices(ans source.Answer) []data.Notice {
	if !d.storeSettings.Enabled {
		return nil
	}
	info := func(format string, args ...any) data.Notice {
		return data.Notice{Severity: data.NoticeSeverityInfo, Inspect: data.InspectTypeMeta, Text: fmt.Sprintf(format, args...)}
	}
	if d.store.err != nil {
		return []data.Notice{{Severity: data.NoticeSeverityWarning, Inspect: data.InspectTypeMeta,
			Text: "The tenant log store is on but not in use, so this query was read from Auth0: " + d.store.err.Error()}}
	}
	var out []data.Notice
	if p := ans.Pending; p != nil && p.To.Sub(p.From) >= time.Second {
		out = append(out, info("The newest %s (since the tail's last read at %s) are not in the tenant log store yet; they arrive with its next poll.",
			p.To.Sub(p.From).Round(time.Second), p.From.UTC().Format(time.RFC3339)))
	}
	if u := ans.Unreadable; u != nil {
		out = append(out, data.Notice{Severity: data.NoticeSeverityWarning, Inspect: data.InspectTypeMeta, Text: fmt.Sprintf(
			"Events from %s to %s are not held: Auth0 no longer keeps them (its retention) and the store did not read them before they went. They are shown as a gap, not as zeros.",
			u.From.UTC().Format(time.RFC3339), u.To.UTC().Format(time.RFC3339))})
	}
	switch {
	case ans.Split == nil && ans.Unreadable != nil && ans.Fetched.Cost.Requests == 0:
		return out
	case ans.Split == nil:
		return append(out, info("Read from Auth0 on demand (%d requests): %s. Once the store holds this range it answers at no Auth0 cost.", ans.Fetched.Cost.Requests, ans.Why))
	case ans.Split.OnDemand != nil:
		return append(out, info("Events from %s on came from the tenant log store; the older part, from %s, was read from Auth0 on demand (%d requests): %s.",
			ans.Split.StoreFrom.UTC().Format(time.RFC3339), ans.Split.OnDemand.From.UTC().Format(time.RFC3339), ans.Fetched.Cost.Requests, ans.Why))
	}
	return out
}

// widest is the smallest interval holding both, either of which may be nil.
func widest(a, b *fetch.Interval) *fetch.Interval {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	w := *a
	if b.From.Before(w.From) {
		w.From = b.From
	}
	if b.To.After(w.To) {
		w.To = b.To
	}
	return &w
}
