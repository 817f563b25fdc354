package postgres

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/aggregate"
	"github.com/seed/auth0logs-datasource/pkg/emulator/tenant"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

var fixtureEnd = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)

// generated is a small tenant with an attack, so types, IPs and countries vary as in production.
func generated(t testing.TB, perDay int) []event.Event {
	t.Helper()
	return tenant.Generate(tenant.Config{Seed: 7, End: fixtureEnd, Days: 2, EventsPerDay: perDay,
		Attacks: []tenant.Attack{{Kind: tenant.BruteForce, Start: fixtureEnd.Add(-20 * time.Hour), Duration: time.Hour, Events: 300}}}).Events
}

// oddEvents exercise what the columns and the blob must carry exactly: a date finer than a
// millisecond, the zero date, unknown fields, pattern metacharacters and no location.
func oddEvents() []event.Event {
	lat := 48.85
	return []event.Event{
		{LogID: "90020261121000000000000000000000000000000000000000000001", Date: fixtureEnd.Add(-time.Hour + 123456789),
			Type: "fp", Description: `100% wrong_pass\word`, UserName: "ünïcode@example.com", UserID: "auth0|odd",
			Location: &event.Location{CountryCode: "FR", CityName: "Paris", Latitude: &lat},
			Details:  json.RawMessage(`{"a":[1,2,{"b":null}],"c":"é"}`),
			Extra:    map[string]json.RawMessage{"future_field": json.RawMessage(`{"x":1}`), "_id": json.RawMessage(`"other"`)}},
		{LogID: "90020261121000000000000000000000000000000000000000000002", Type: "", IsMobile: true,
			UserAgent: "agent\x00with a NUL (JSON allows it, PostgreSQL text does not)",
			Audience:  "https://api", Scope: "openid profile", OrganizationName: "Org"},
	}
}

// jsonLines encodes events the way the emulator serves them, so two lists compare as Auth0 would
// show them.
func jsonLines(t testing.TB, events []event.Event) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := tenant.WriteJSONLines(&buf, events); err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(bytesLines(buf.Bytes()), func(s string) bool { return s == "" })
}

func bytesLines(b []byte) []string {
	var out []string
	for _, l := range bytes.Split(b, []byte("\n")) {
		out = append(out, string(l))
	}
	return out
}

// newestFirst is Scan's order.
func newestFirst(events []event.Event) []event.Event {
	out := slices.Clone(events)
	slices.SortFunc(out, func(a, b event.Event) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(b.LogID, a.LogID))
	})
	return out
}

// commitAll stores events in batches with contiguous segments under the given fence.
func commitAll(t testing.TB, e *Engine, tenantKey string, fence int64, events []event.Event, batch int) {
	t.Helper()
	ctx := testContext(t)
	prev := ""
	for i := 0; i < len(events); i += batch {
		part := events[i:min(i+batch, len(events))]
		last := part[len(part)-1]
		seg := store.Segment{FromID: prev, ToID: last.LogID, From: part[0].Date, To: last.Date}
		if _, err := e.Commit(ctx, tenantKey, store.Batch{Events: part, Segment: seg, Fence: fence}); err != nil {
			t.Fatalf("commit of events %d..%d: %v", i, i+len(part), err)
		}
		prev = last.LogID
	}
}

// referenceCells computes in Go, with the aggregate package, what Aggregate must answer over the
// same events: the selection filtered by logquery's Matcher, then aggregate.CellsFromEvents.
func referenceCells(t testing.TB, events []event.Event, q store.AggQuery) []aggregate.Cell {
	t.Helper()
	m, err := logquery.Compile(q.Filter)
	if err != nil {
		t.Fatal(err)
	}
	keyOf := func(field string) aggregate.Key {
		if field == "" {
			return nil
		}
		k, err := aggregate.KeyFor(field)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	var selected []event.Event
	for _, ev := range events {
		if ev.Date.Before(q.From) || !ev.Date.Before(q.To) || !m.Match(&ev) {
			continue
		}
		// The store keeps dates to the millisecond for ranges, buckets and cells (Auth0's
		// precision); only Scan returns a finer date, from the event's blob.
		ev.Date = ev.Date.Truncate(time.Millisecond)
		selected = append(selected, ev)
	}
	cells := aggregate.CellsFromEvents(selected, q.Buckets, keyOf(q.Group), keyOf(q.Of))
	sortCells(cells)
	if len(cells) == 0 {
		return nil
	}
	return cells
}
