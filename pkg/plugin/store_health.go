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
	// Replicas is set with the PostgreSQL engine: who holds the tenant's tail and how the
	// request budget is shared.
	Replicas *replicaReport `json:"replicas,omitempty"`
}

// replicaReport is the replicas' part of the store report.
type replicaReport struct {
	// Self is this replica's id; Holder the lease holder's ("" when none ever held it) and
	// Epoch its epoch; Live whether the lease was unexpired when read.
	Self   string `json:"self"`
	Holder string `json:"holder,omitempty"`
	Epoch  int64  `json:"epoch,omitempty"`
	Live   bool   `json:"live"`
	// Lease is this replica's own standing: whether it runs the tail, terms held and lost.
	Lease store.LeaseStatus `json:"lease"`
	// Seen counts the replicas that sent a heartbeat lately, this one included.
	Seen int `json:"seen"`
	// BudgetLocal is set while PostgreSQL is unreachable for the budget: this replica is limiting
	// itself to its share of the requests per minute.
	BudgetLocal string `json:"budgetLocal,omitempty"`
	// Problem is why the database could not say who holds the tail.
	Problem string `json:"problem,omitempty"`
}

func (d *Datasource) replicaReport(ctx context.Context) *replicaReport {
	if d.store.pg == nil {
		return nil
	}
	st, err := d.store.pg.Status(ctx, d.store.key)
	r := &replicaReport{Self: st.Self, Holder: st.Lease.Holder, Epoch: st.Lease.Epoch, Live: st.Lease.Live,
		Lease: d.store.handle.Lease(), Seen: len(st.Replicas), BudgetLocal: st.BudgetLocal}
	if err != nil {
		r.Problem = err.Error()
	}
	return r
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
		rep.Replicas = d.replicaReport(ctx) // still says whether the budget fell back to a share
		return rep
	}
	rep.Status = &st
	rep.Rebuilt = processStoreRebuilt(d)
	rep.Replicas = d.replicaReport(ctx)
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
		if r.Replicas != nil && r.Replicas.BudgetLocal != "" {
			b.WriteString(" The Auth0 request budget is limiting to its share: " + r.Replicas.BudgetLocal + ".")
		}
		return b.String()
	}
	st := r.Status
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
	// A replica without the lease does not run the tail: its own view of catching up and of the
	// backfill is empty, so it reports the shared store's lag and leaves progress to the holder.
	tailedElsewhere := r.Replicas != nil && !r.Replicas.Lease.Holding
	if st.Events == 0 && st.CoverageTo.IsZero() {
		b.WriteString("starting; nothing stored yet")
	} else {
		fmt.Fprintf(&b, "%d events (%s on disk) from %s to %s", st.Events, megabytes(st.Bytes), day(st.CoverageFrom), day(st.CoverageTo))
		if tailedElsewhere {
			fmt.Fprintf(&b, ", complete up to %s", humanAge(st.Lag))
		} else if st.CaughtUp {
			fmt.Fprintf(&b, ", caught up (newest read %s)", humanAge(st.Lag))
		} else {
			fmt.Fprintf(&b, ", catching up (%s behind)", strings.TrimSuffix(humanAge(st.Lag), " ago"))
		}
	}
	if bf := st.Backfill; !tailedElsewhere && !bf.Done {
		fmt.Fprintf(&b, "; history %d%% read back to %s", int(bf.Progress*100), day(bf.WindowFrom))
	} else if !tailedElsewhere && bf.Note != "" {
		b.WriteString("; " + strings.TrimSuffix(bf.Note, "."))
	}
	if n := len(st.Gaps); n > 0 && !tailedElsewhere {
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
	if r.Replicas != nil {
		b.WriteString(". " + r.Replicas.sentence())
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

// sentence says who tails the tenant and how the budget is shared, without a trailing period.
func (r *replicaReport) sentence() string {
	var b strings.Builder
	switch {
	case r.Lease.Holding:
		fmt.Fprintf(&b, "Replicas: this replica (%s) holds the tail (lease epoch %d)", r.Self, r.Epoch)
	case r.Holder != "" && r.Live:
		fmt.Fprintf(&b, "Replicas: the tail runs on replica %s (lease epoch %d); this one (%s) answers from the shared store", r.Holder, r.Epoch, r.Self)
	default:
		b.WriteString("Replicas: no replica holds the tail right now; one takes it over within seconds")
	}
	fmt.Fprintf(&b, "; %d replica(s) seen", r.Seen)
	if r.Lease.Lost > 0 {
		fmt.Fprintf(&b, "; this replica lost the lease %d time(s) to another", r.Lease.Lost)
	}
	if r.BudgetLocal != "" {
		b.WriteString("; the Auth0 request budget is limiting to its share: " + r.BudgetLocal)
	} else {
		b.WriteString("; the Auth0 request budget is shared in PostgreSQL")
	}
	if r.Problem != "" {
		b.WriteString("; cannot read the replicas: " + r.Problem)
	} else if r.Lease.LastError != "" {
		b.WriteString("; taking or renewing the lease failed: " + r.Lease.LastError)
	}
	return b.String()
}
