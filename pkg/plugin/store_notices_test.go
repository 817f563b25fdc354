package plugin

import (
	"errors"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"

	"github.com/seed/auth0logs-datasource/pkg/fetch"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/source"
)

func TestStoreNoticesSayWhereEventsCameFrom(t *testing.T) {
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	on := &Datasource{storeSettings: models.StoreSettings{Enabled: true}}
	texts := func(ns []data.Notice) (out []string) {
		for _, n := range ns {
			out = append(out, n.Text)
		}
		return out
	}

	assert.Empty(t, (&Datasource{}).storeNotices(source.Answer{}), "store off: nothing to say")
	assert.Empty(t, on.storeNotices(source.Answer{Split: &source.Split{StoreFrom: at}}), "all from the store, nothing pending")

	pending := on.storeNotices(source.Answer{Split: &source.Split{StoreFrom: at}, Pending: &fetch.Interval{From: at, To: at.Add(25 * time.Second)}})
	assert.Equal(t, []string{"The newest 25s (since the tail's last read at 2026-12-07T12:00:00Z) are not in the tenant log store yet; they arrive with its next poll."}, texts(pending))
	assert.Equal(t, data.NoticeSeverityInfo, pending[0].Severity)

	split := on.storeNotices(source.Answer{Split: &source.Split{StoreFrom: at, OnDemand: &fetch.Interval{From: at.Add(-time.Hour), To: at}},
		Why: "the tenant log store holds events from 2026-12-07T12:00:00Z on", Fetched: fetch.Result{Cost: fetch.Cost{Requests: 3}}})
	assert.Contains(t, texts(split)[0], "the older part, from 2026-12-07T11:00:00Z, was read from Auth0 on demand (3 requests)")

	gone := on.storeNotices(source.Answer{Unreadable: &fetch.Interval{From: at.Add(-time.Hour), To: at}})
	assert.Equal(t, data.NoticeSeverityWarning, gone[0].Severity)
	assert.Contains(t, gone[0].Text, "shown as a gap, not as zeros")

	broken := &Datasource{storeSettings: models.StoreSettings{Enabled: true}, store: tenantStore{err: errors.New("disk full")}}
	assert.Contains(t, texts(broken.storeNotices(source.Answer{})), "The tenant log store is on but not in use, so this query was read from Auth0: disk full")
}
