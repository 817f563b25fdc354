package framer

import (
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
)

// Options carry what a frame needs from the query and the data source instance but cannot read
// from the events themselves.
type Options struct {
	// RefID is set on every frame so Grafana can match it to its query.
	RefID string
	// DatasourceUID and DatasourceName let fields link back into this data source (e.g. "logs
	// from this IP"). Without a UID no links are added: a link to an unknown data source is worse
	// than none.
	DatasourceUID, DatasourceName string
	// LegendFormat names time series, e.g. "{{type}} ({{type_name}})"; empty means a readable
	// default.
	LegendFormat string
	// GroupBy is the field the aggregate was grouped or ranked by; it becomes the series' label
	// name. Empty means ungrouped.
	GroupBy string
	// Missing is the part of the time range whose events were not read (a fetch stopped early);
	// nil when everything was read. Time series leave its buckets null rather than zero.
	Missing *backend.TimeRange
	// Tenant, when set, is added to every time series as the label "tenant", so an alert's
	// notification says which tenant it is about. The plugin sets it for alert rules only: on a
	// panel it would lengthen every legend with the same word.
	Tenant string
	// Domain is the tenant's domain; logs and tables link each event to its page in the Auth0
	// dashboard when the domain is a tenant's own Auth0 domain (see DashboardLogURL).
	Domain string
}

// TenantLabel is the label every alert series carries, holding the data source's domain.
const TenantLabel = "tenant"

// noneLabel is how the empty group (events without the field) is shown: an empty label value
// would be invisible in a legend, and Grafana treats an empty label like a missing one.
const noneLabel = "(none)"

// linkTitles are the fields that get a link to this data source's logs filtered by the value,
// with the title the link shows. Only fields someone follows during an investigation get one.
var linkTitles = map[string]string{
	"ip":        "Logs from this IP",
	"user_name": "Logs of this user",
	"user_id":   "Logs of this user",
}

// searchLinks returns the internal link that opens this data source's logs for the clicked value,
// or nil when the field has no link or o names no data source. ${__value.raw} is filled in by
// Grafana with the cell's value.
func searchLinks(field string, o Options) []data.DataLink {
	title, ok := linkTitles[field]
	if !ok || o.DatasourceUID == "" {
		return nil
	}
	return []data.DataLink{{
		Title: title,
		Internal: &data.InternalDataLink{
			DatasourceUID:  o.DatasourceUID,
			DatasourceName: o.DatasourceName,
			Query: map[string]any{
				"queryType": "logs",
				"query":     field + `:"${__value.raw}"`,
			},
		},
	}}
}

// withLinks attaches the search links for field, when there are any, and returns f.
func withLinks(f *data.Field, o Options) *data.Field {
	if links := searchLinks(f.Name, o); links != nil {
		f.Config = &data.FieldConfig{Links: links}
	}
	return f
}

// categoryNames maps category ids to their display names, built once from the catalog.
var categoryNames = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, c := range eventtypes.Categories() {
		m[c.ID] = c.Name
	}
	return m
})

// categoryName returns the display name of a category id, or the id itself when unknown.
func categoryName(id string) string {
	if n, ok := categoryNames()[id]; ok {
		return n
	}
	return id
}
