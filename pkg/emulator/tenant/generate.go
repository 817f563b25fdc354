package tenant

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Tenant is one generated tenant: its logs and the directory they refer to.
type Tenant struct {
	// Events are sorted by LogID ascending, which is ingest order; Date order differs slightly,
	// as it does in Auth0. Events may share Location pointers and Details bytes, so treat them as
	// read-only.
	Events      []event.Event
	Clients     []Client
	Connections []string
	Users       []User
	// Start and End bound the window: every event's Date is in [Start, End).
	Start, End time.Time
}

// stub is an event before it is written out. Events are scheduled as stubs, sorted into log_id
// order and only then materialised, so random choices made while filling them happen in a fixed
// order and the full events are never moved by the sort.
type stub struct {
	key    int64 // ingest second * 1e6 + sub-second micros: the log_id order
	date   int64 // event time, Unix milliseconds
	actor  int32 // attack-specific: which pair, IP or target the event belongs to
	attack int16 // index into gen.attacks, or -1 for baseline traffic
	kind   kind
}

type gen struct {
	cfg            Config
	r              *rand.Rand // materialisation stream
	pop            *population
	attacks        []*attackState
	stubs          []stub
	startMs, endMs int64
	arena          []byte
}

// Generate builds the tenant cfg describes. It is deterministic: equal Configs (after defaults)
// give identical events, because all randomness comes from PCG streams seeded with cfg.Seed and
// the clock is read only when cfg.End is zero. Seven default days (about 450,000 events) take
// well under a second on one core; see BenchmarkGenerate.
func Generate(cfg Config) *Tenant {
	cfg = cfg.withDefaults()
	seed := uint64(cfg.Seed)
	g := &gen{
		cfg:     cfg,
		r:       rand.New(rand.NewPCG(seed, 0x6576656e7473)),
		pop:     newPopulation(rand.New(rand.NewPCG(seed, 0x706f70)), cfg.EventsPerDay),
		startMs: cfg.start().UnixMilli(),
		endMs:   cfg.End.UnixMilli(),
	}
	total := cfg.Days * cfg.EventsPerDay * 21 / 20
	for _, a := range cfg.Attacks {
		total += max(a.Events, 0)
	}
	g.stubs = make([]stub, 0, total)
	g.scheduleBaseline(rand.New(rand.NewPCG(seed, 0x62617365)))
	for i, a := range cfg.Attacks {
		if i > 1<<15-1 {
			break
		}
		g.scheduleAttack(int16(i), a, rand.New(rand.NewPCG(seed, 0x61747461636b+uint64(i))))
	}
	slices.SortFunc(g.stubs, func(a, b stub) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.date, b.date), cmp.Compare(a.kind, b.kind),
			cmp.Compare(a.attack, b.attack), cmp.Compare(a.actor, b.actor))
	})
	return &Tenant{
		Events:      g.materialize(),
		Clients:     slices.Clone(g.pop.clients),
		Connections: g.pop.connectionNames(),
		Users:       g.pop.publicUsers(),
		Start:       cfg.start(),
		End:         cfg.End,
	}
}

// scheduleBaseline spreads ordinary traffic over the window hour by hour, shaped by hourWeight
// and a weekend dip.
func (g *gen) scheduleBaseline(r *rand.Rand) {
	meanHour := 0.0
	for _, w := range hourWeight {
		meanHour += w / 24
	}
	perHour := float64(g.cfg.EventsPerDay) / 24 / meanHour
	end := g.cfg.End
	day, dayFactor := time.Time{}, 1.0
	for h := g.cfg.start().Truncate(time.Hour); h.Before(end); h = h.Add(time.Hour) {
		if d := h.Truncate(24 * time.Hour); !d.Equal(day) {
			day, dayFactor = d, weekdayFactor(d.Weekday())*(0.985+0.04*r.Float64())
		}
		rate := perHour * hourWeight[h.Hour()] * dayFactor * (0.95 + 0.1*r.Float64())
		n := int(rate + r.Float64()) // stochastic rounding keeps small tenants unbiased
		base := h.UnixMilli()
		for range n {
			g.addStub(r, base+r.Int64N(3_600_000), kind(kindPicker.pick(r)), -1, 0)
		}
	}
}

func weekdayFactor(d time.Weekday) float64 {
	switch d {
	case time.Saturday:
		return 0.88
	case time.Sunday:
		return 0.9
	}
	return 1
}

// addStub schedules one event at dateMs unless it falls outside the window. Its ingest time is
// 0-5 s later (mostly under 2 s), and the log_id carries that time rounded up to the second, so
// the embedded stamp is never before the event's date.
func (g *gen) addStub(r *rand.Rand, dateMs int64, k kind, attack int16, actor int32) {
	if dateMs < g.startMs || dateMs >= g.endMs {
		return
	}
	u := r.Float64()
	ingest := dateMs*1000 + int64(u*u*5e6)
	sec := (ingest + 999_999) / 1_000_000
	g.stubs = append(g.stubs, stub{
		key: sec*1_000_000 + ingest%1_000_000, date: dateMs, actor: actor, attack: attack, kind: k,
	})
}

// materialize writes the sorted stubs out as events. All log_ids live in one string, so the
// 56-byte ids cost one allocation in total.
func (g *gen) materialize() []event.Event {
	ids := make([]byte, 0, len(g.stubs)*LogIDLen)
	seq := uint64(0)
	for _, s := range g.stubs {
		seq += 1 + uint64(g.r.IntN(24)) // gaps, as other tenants share the counter
		ids = appendLogID(ids, s.key/1_000_000, s.key%1_000_000, seq)
	}
	all := string(ids)
	events := make([]event.Event, len(g.stubs))
	for i, s := range g.stubs {
		e := &events[i]
		e.LogID = all[i*LogIDLen : (i+1)*LogIDLen]
		e.Date = time.UnixMilli(s.date).UTC()
		e.Type = kinds[s.kind].code
		e.Hostname = g.cfg.Domain
		if s.attack < 0 {
			g.fillBaseline(e, s)
		} else {
			g.fillAttack(e, s)
		}
	}
	g.stubs = nil
	return events
}

// Count is ground truth for tests: how many events satisfy pred.
func (t *Tenant) Count(pred func(*event.Event) bool) int {
	n := 0
	for i := range t.Events {
		if pred(&t.Events[i]) {
			n++
		}
	}
	return n
}

// CountByDay counts the events that satisfy pred per UTC day, keyed by the day's midnight (UTC).
// Days with no matching event are absent.
func (t *Tenant) CountByDay(pred func(*event.Event) bool) map[time.Time]int {
	out := map[time.Time]int{}
	for i := range t.Events {
		if e := &t.Events[i]; pred(e) {
			out[e.Date.UTC().Truncate(24*time.Hour)]++
		}
	}
	return out
}
