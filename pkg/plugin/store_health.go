package plugin

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/store"
)

// storeReport is the tenant log store's standing for one data source: what Save & test says and
// the store/status resource serves.
type storeReport struct {
	Enabled bool `json:"enabled"`
	// Problem is set when the store is on but cannot be used, or its tail is failing.
	Problem string        `json:"problem,omitempty"`
	Status  *store.Status `json:"status,omitempty"`
	// Rebuilt names where a damaged store file was moved aside when the process opened it.
	Rebuilt string `json:"rebuilt,omitempty"`
}

func (d *Datasource) storeReport(ctx context.Context) storeReport {
	rep := storeReport{Enabled: bool(d.storeSettings.Enabled)}
	switch {
	case !rep.Enabled:
		return rep
	case d.store.err != nil:
		rep.Problem = "the tenant log store is on but cannot be used, so every query reads Auth0 on demand: " + d.store.err.Error()
		return rep
	}
	st, err := d.store.handle.Status(ctx)
	if err != nil {
		rep.Problem = "cannot read the tenant log store's status: " + err.Error()
		return rep
	}
	rep.Status = &st
	rep.Rebuilt = processStoreRebuilt(d)
	if st.LastError != nil {
		rep.Problem = fmt.Sprintf("the tail is failing (%s): %s", st.LastError.Cause, st.LastError.Message)
	}
	return rep
}

// processStoreRebuilt is where the runtime moved a damaged file, if it did.
func processStoreRebuilt(d *Datasource) string {
	if d.store.runtime == nil {
		return ""
	}
	d.store.runtime.mu.Lock()
	defer d.store.runtime.mu.Unlock()
	return d.store.runtime.rebuilt
}

// sentence is the report as Save & test shows it, one short paragraph.
func (r storeReport) sentence(now time.Time) string {
	if !r.Enabled {
		return "Tenant log store: off (every query reads Auth0 on demand; turn it on in the settings to read each event once)."
	}
	var b strings.Builder
	b.WriteString("Tenant log store: ")
	if r.Status == nil {
		b.WriteString(r.Problem + ".")
		return b.String()
	}
	st := r.Status
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
	if st.Events == 0 && st.CoverageTo.IsZero() {
		b.WriteString("starting; nothing stored yet")
	} else {
		fmt.Fprintf(&b, "%d events (%s on disk) from %s to %s", st.Events, megabytes(st.Bytes), day(st.CoverageFrom), day(st.CoverageTo))
		if st.CaughtUp {
			fmt.Fprintf(&b, ", caught up (newest read %s)", humanAge(st.Lag))
		} else {
			fmt.Fprintf(&b, ", catching up (%s behind)", strings.TrimSuffix(humanAge(st.Lag), " ago"))
		}
	}
	if bf := st.Backfill; !bf.Done {
		fmt.Fprintf(&b, "; history %d%% read back to %s", int(bf.Progress*100), day(bf.WindowFrom))
	} else if bf.Note != "" {
		b.WriteString("; " + strings.TrimSuffix(bf.Note, "."))
	}
	if n := len(st.Gaps); n > 0 {
		lost := 0
		for _, g := range st.Gaps {
			if g.Lost {
				lost++
			}
		}
		fmt.Fprintf(&b, "; %d gap(s) in the history (%d no longer held by Auth0)", n, lost)
	}
	if st.Conflicts > 0 {
		fmt.Fprintf(&b, "; %d log ids seen again with other content (kept apart, not stored)", st.Conflicts)
	}
	if r.Problem != "" {
		b.WriteString(". Problem: " + r.Problem)
	}
	if r.Rebuilt != "" {
		b.WriteString(". The store file was damaged and moved aside to " + r.Rebuilt + "; it is being rebuilt from Auth0")
	}
	b.WriteString(".")
	return b.String()
}

func megabytes(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
