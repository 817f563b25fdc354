package plugin

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// ingestion answers the "ingestion" query type: the store's tail as numbers an alert rule can
// hold a threshold against. Lag is how far behind the clock the newest complete read is; a stuck
// tail (revoked scope, exhausted budget, full disk, Auth0 down) shows as a lag that keeps growing.
// Evaluating it every minute also keeps the data source's instance, and so its tail, alive after
// a Grafana restart, before anyone opens a dashboard.
func (d *Datasource) ingestion(ctx context.Context, refID string) backend.DataResponse {
	rep := d.storeReport(ctx)
	if !rep.Enabled {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream,
			"the tenant log store is off for this data source, so there is no ingestion to measure: turn it on in the data source settings")
	}
	if rep.Status == nil {
		return backend.ErrDataResponseWithSource(backend.StatusInternal, backend.ErrorSourceDownstream, rep.Problem)
	}
	st := rep.Status
	lag := st.Lag.Seconds()
	if st.CoverageTo.IsZero() {
		// Nothing read yet: the lag is unknown, not zero.
		lag = time.Since(time.Time{}).Seconds()
	}
	// One number a frame: alerting makes a series of every numeric field, and only the lag is a
	// condition. What else the tail knows goes in the frame's custom meta for the inspector.
	f := data.NewFrame("ingestion",
		data.NewField("time", nil, []time.Time{time.Now().UTC()}),
		data.NewField("lag_seconds", data.Labels{"tenant": d.settings.Domain}, []float64{lag}),
	)
	f.RefID = refID
	meta := &data.FrameMeta{Custom: map[string]any{"events": st.Events, "gaps": len(st.Gaps), "caughtUp": st.CaughtUp, "lastError": st.LastError}}
	if rep.Problem != "" {
		meta.Notices = append(meta.Notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: rep.Problem})
	}
	f.SetMeta(meta)
	return backend.DataResponse{Frames: data.Frames{f}}
}
