package tenant

import (
	"math/rand/v2"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

var (
	attackCityPicker = newPicker(cityWeights(func(c city) float64 { return c.attack }))
	homeCityPicker   = newPicker(cityWeights(func(c city) float64 { return c.home }))
)

// attackState is what one attack's events have in common: its IPs (each keeping one user agent),
// its combo list of user names and the accounts it targets.
type attackState struct {
	Attack
	ips     []endpoint
	agents  []agent
	names   []string
	targets []int
}

// scheduleAttack adds the stubs of one attack, drawing from its own random stream so one attack's
// shape does not depend on the others. Unknown kinds and non-positive Events add nothing.
func (g *gen) scheduleAttack(idx int16, a Attack, r *rand.Rand) {
	st := &attackState{Attack: a}
	g.attacks = append(g.attacks, st) // index idx, even when it adds no events
	if a.Events <= 0 {
		return
	}
	dur := a.Duration
	if dur <= 0 {
		dur = time.Hour
	}
	startMs, durMs := a.Start.UnixMilli(), dur.Milliseconds()
	switch a.Kind {
	case CredentialStuffing:
		g.addAttackIPs(st, r, max(20, a.Events/12), 0)
		for range max(50, a.Events/2) {
			st.names = append(st.names, g.pop.fakeEmail(r))
		}
		for range a.Events {
			// A triangle over the window: the surge builds, peaks mid-way and fades.
			t := startMs + int64(float64(durMs)*(r.Float64()+r.Float64())/2)
			k := kFu
			switch u := r.Float64(); {
			case u < 0.002:
				k = kS // the rare hit on a real account
			case u < 0.14:
				k = kFp
			}
			g.addStub(r, t, k, idx, 0)
		}
	case BruteForce:
		g.scheduleBruteForce(st, idx, r, startMs, durMs)
	case BreachedPassword:
		g.addAttackIPs(st, r, a.Events, 0.3)
		for i := range a.Events {
			g.addStub(r, startMs+r.Int64N(durMs), kPwdLeak, idx, int32(i))
		}
	case BlockedIP:
		g.addAttackIPs(st, r, max(1, a.Events*3/4), 0)
		for i := range a.Events {
			g.addStub(r, startMs+r.Int64N(durMs), kLimitMu, idx, int32(i%len(st.ips)))
		}
	}
}

// scheduleBruteForce sends blocks of ten wrong passwords from one IP at one account, each block
// ending in the limit_wc that Auth0's brute-force protection logs when it blocks that pair.
func (g *gen) scheduleBruteForce(st *attackState, idx int16, r *rand.Rand, startMs, durMs int64) {
	n := st.Events
	db := g.pop.byPool[poolDatabase]
	for want := min(3+n/1500, 6, len(db)); len(st.targets) < want; {
		t := db[r.IntN(len(db))]
		if !containsInt(st.targets, t) {
			st.targets = append(st.targets, t)
		}
	}
	g.addAttackIPs(st, r, min(2+n/2000, 4), 0)
	pairs := len(st.targets) * len(st.ips)
	blocks := (n + 10) / 11
	for b := range blocks {
		size := 11
		if b == 0 {
			size = n - 11*(blocks-1)
		}
		pair := int32(b % pairs)
		t := startMs + r.Int64N(durMs*9/10+1)
		for range size - 1 {
			g.addStub(r, t, kFp, idx, pair)
			t += 1500 + r.Int64N(4500)
		}
		g.addStub(r, t, kLimitWc, idx, pair)
	}
}

// addAttackIPs gives the attack n IPs, mostly in attack countries; home is the share placed in
// the tenant's own markets.
func (g *gen) addAttackIPs(st *attackState, r *rand.Rand, n int, home float64) {
	for range n {
		c := attackCityPicker.pick(r)
		if r.Float64() < home {
			c = homeCityPicker.pick(r)
		}
		ep := g.pop.ips.v4(r, c)
		if r.IntN(20) == 0 {
			ep = g.pop.ips.v6(r, c)
		}
		st.ips = append(st.ips, ep)
		st.agents = append(st.agents, pickAgent(r, attackAgents))
	}
}

// fillAttack writes one attack event from its stub.
func (g *gen) fillAttack(e *event.Event, s stub) {
	st := g.attacks[s.attack]
	g.withConn(e, connDatabase)
	switch st.Kind {
	case CredentialStuffing:
		i := g.r.IntN(len(st.ips))
		g.withEndpoint(e, st.ips[i], st.agents[i], clientSPA)
		if s.kind == kFu {
			e.Description, e.Details = descWrongCreds, detailsWrongCreds
			e.UserName = st.names[g.r.IntN(len(st.names))]
			if g.r.IntN(100) < 3 {
				e.UserName, e.Description, e.Details = "", descMissingUser, detailsMissingUser
			}
			return
		}
		u := g.anyDatabaseUser()
		e.UserID, e.UserName = u.ID, u.Email
		if s.kind == kS {
			e.Description, e.Details = descLogin, g.loginDetails(u, s.date)
		} else {
			e.Description, e.Details = descWrongCreds, detailsWrongCreds
		}
	case BruteForce:
		nt := len(st.targets)
		u, ip := &g.pop.users[st.targets[int(s.actor)%nt]], int(s.actor)/nt
		g.withEndpoint(e, st.ips[ip], st.agents[ip], clientWeb)
		e.UserID, e.UserName = u.ID, u.Email
		if s.kind == kLimitWc {
			e.Description, e.Details = descLimitWc, g.blockDetails(st.ips[ip].ip, 10, 0)
		} else {
			e.Description, e.Details = descWrongCreds, detailsWrongCreds
		}
	case BreachedPassword:
		ep := st.ips[s.actor]
		g.withEndpoint(e, ep, st.agents[s.actor], clientSPA)
		u := g.anyDatabaseUser()
		e.UserID, e.UserName = u.ID, u.Email
		e.Description, e.Details = descPwdLeak, g.kv("ip", ep.ip, "action", "block")
	case BlockedIP:
		ep := st.ips[s.actor]
		g.withEndpoint(e, ep, st.agents[s.actor], clientSPA)
		e.Description = descLimitMu
		e.Details = g.blockDetails(ep.ip, 100+g.r.IntN(400), 10+g.r.IntN(90))
	}
}

// anyDatabaseUser draws uniformly: attackers' lists do not follow users' activity.
func (g *gen) anyDatabaseUser() *user {
	db := g.pop.byPool[poolDatabase]
	return &g.pop.users[db[g.r.IntN(len(db))]]
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
