package tenant

import (
	"math/rand/v2"
	"strconv"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Client is one application registered in the generated tenant, as tests and the demo need to
// name it in queries.
type Client struct {
	ID   string
	Name string
	// AppType is Auth0's application type: spa, native, regular_web or non_interactive.
	AppType string
}

// User is one real account of the generated tenant. Attack traffic also uses user names that are
// not in this list; that is what makes it credential stuffing.
type User struct {
	ID         string
	Email      string
	Connection string
	// Country is the ISO code of the city the user signs in from.
	Country string
}

// Indexes into population.clients; the order is fixed so builders can name them.
const (
	clientSPA = iota
	clientWeb
	clientIOS
	clientAndroid
	clientM2M
	clientMgmt
	numClients
)

// Indexes into population.conns.
const (
	connDatabase = iota
	connGoogle
	connEmail
	connSAML
	numConns
)

type connection struct {
	name, id, strategy, strategyType string
}

// device is one browser or phone of a user: its IP and agent stay the same across events.
type device struct {
	client int
	ua     string
	mobile bool
	ep     endpoint
}

type user struct {
	User
	conn    int
	mfa     bool
	logins  int
	devices []device
}

// population is everything that stays fixed while events are generated.
type population struct {
	clients []Client
	conns   [numConns]connection
	orgID   string
	users   []user
	// byPool lists user indexes per pool, so builders can draw a fitting user in O(1).
	byPool [poolMFA + 1][]int
	emails map[string]bool
	// backend is where the tenant's own servers call from (M2M and Management API traffic).
	backend []endpoint
	ips     *ipSpace
}

func newPopulation(r *rand.Rand, eventsPerDay int) *population {
	p := &population{ips: newIPSpace(r), emails: map[string]bool{}}
	p.clients = []Client{
		clientSPA:     {ID: alnum(r, 32), Name: "Acme Storefront", AppType: "spa"},
		clientWeb:     {ID: alnum(r, 32), Name: "Acme Customer Portal", AppType: "regular_web"},
		clientIOS:     {ID: alnum(r, 32), Name: "Acme iOS", AppType: "native"},
		clientAndroid: {ID: alnum(r, 32), Name: "Acme Android", AppType: "native"},
		clientM2M:     {ID: alnum(r, 32), Name: "Reporting Service", AppType: "non_interactive"},
		clientMgmt:    {ID: alnum(r, 32), Name: "API Explorer Application", AppType: "non_interactive"},
	}
	p.conns = [numConns]connection{
		connDatabase: {"Username-Password-Authentication", "con_" + alnum(r, 16), "auth0", "database"},
		connGoogle:   {"google-oauth2", "con_" + alnum(r, 16), "google-oauth2", "social"},
		connEmail:    {"email", "con_" + alnum(r, 16), "email", "passwordless"},
		connSAML:     {"globex-okta", "con_" + alnum(r, 16), "samlp", "enterprise"},
	}
	p.orgID = "org_" + alnum(r, 16)
	dc := cityIndex(datacenter)
	for range 3 {
		p.backend = append(p.backend, p.ips.v4(r, dc))
	}
	n := min(max(eventsPerDay/40, 300), 3000)
	connPick := newPicker([]float64{connDatabase: 78, connGoogle: 14, connEmail: 5, connSAML: 3})
	for i := range n {
		conn := connPick.pick(r)
		if i == 0 {
			conn = connDatabase // attacks need at least one password account
		}
		p.addUser(r, conn, homeCityPicker.pick(r))
	}
	return p
}

func (p *population) addUser(r *rand.Rand, conn, home int) {
	u := user{conn: conn, mfa: r.Float64() < 0.3, logins: 1 + r.IntN(400)}
	domain := ""
	if conn == connSAML {
		domain = enterpriseDomain
	}
	u.Email = p.uniqueEmail(r, domain)
	switch conn {
	case connDatabase:
		u.ID = "auth0|" + hex(r, 24)
	case connGoogle:
		u.ID = "google-oauth2|1" + digits(r, 20)
	case connEmail:
		u.ID = "email|" + hex(r, 24)
	case connSAML:
		u.ID = "samlp|globex-okta|" + u.Email
	}
	u.Connection = p.conns[conn].name
	u.Country = cities[home].cc
	for d := range 1 + r.IntN(2) {
		u.devices = append(u.devices, p.newDevice(r, devicePicker.pick(r), home, d > 0))
	}
	idx := len(p.users)
	p.users = append(p.users, u)
	p.byPool[poolAll] = append(p.byPool[poolAll], idx)
	switch conn {
	case connDatabase:
		p.byPool[poolDatabase] = append(p.byPool[poolDatabase], idx)
	case connEmail:
		p.byPool[poolEmail] = append(p.byPool[poolEmail], idx)
	}
	if u.mfa {
		p.byPool[poolMFA] = append(p.byPool[poolMFA], idx)
	}
}

func (p *population) newDevice(r *rand.Rand, kind, home int, second bool) device {
	d := device{}
	switch kind {
	case deviceDesktop:
		d.client = clientSPA
		if r.Float64() < 0.4 {
			d.client = clientWeb
		}
	case deviceMobileWeb:
		d.client = clientSPA
	case deviceIOS:
		d.client = clientIOS
	case deviceAndroid:
		d.client = clientAndroid
	}
	a := pickAgent(r, agentsByDevice[kind])
	d.ua, d.mobile = a.ua, a.mobile
	// Phones on a mobile network and some home routers get IPv6 addresses.
	if r.Float64() < 0.1 || (second && d.mobile && r.Float64() < 0.3) {
		d.ep = p.ips.v6(r, home)
	} else {
		d.ep = p.ips.v4(r, home)
	}
	return d
}

func (p *population) uniqueEmail(r *rand.Rand, domain string) string {
	for attempt := 0; ; attempt++ {
		f, l := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		d := domain
		if d == "" {
			d = userDomains[domainPicker.pick(r)].name
		}
		var local string
		switch r.IntN(4) {
		case 0:
			local = f + "." + l
		case 1:
			local = f + l
		case 2:
			local = f[:1] + "." + l
		default:
			local = f + "." + l + strconv.Itoa(r.IntN(100))
		}
		if attempt > 3 {
			local += strconv.Itoa(10 + r.IntN(9990))
		}
		e := local + "@" + d
		if !p.emails[e] {
			p.emails[e] = true
			return e
		}
	}
}

// pickUser draws a user of the pool. Activity is skewed: a minority of users sign in most often,
// as in any consumer tenant.
func (p *population) pickUser(r *rand.Rand, pl pool) *user {
	ids := p.byPool[pl]
	if len(ids) == 0 {
		ids = p.byPool[poolAll]
	}
	u := r.Float64()
	return &p.users[ids[int(u*u*float64(len(ids)))]]
}

// pickDevice favours a user's first device.
func (u *user) pickDevice(r *rand.Rand) *device {
	if len(u.devices) > 1 && r.Float64() < 0.3 {
		return &u.devices[1]
	}
	return &u.devices[0]
}

func (p *population) publicUsers() []User {
	out := make([]User, len(p.users))
	for i := range p.users {
		out[i] = p.users[i].User
	}
	return out
}

func (p *population) connectionNames() []string {
	out := make([]string, numConns)
	for i, c := range p.conns {
		out[i] = c.name
	}
	return out
}

var (
	devicePicker = newPicker(deviceKindWeights)
	domainPicker = func() picker {
		w := make([]float64, len(userDomains))
		for i, d := range userDomains {
			w[i] = d.weight
		}
		return newPicker(w)
	}()
)

func pickAgent(r *rand.Rand, list []agent) agent {
	total := 0.0
	for _, a := range list {
		total += a.weight
	}
	x := r.Float64() * total
	for _, a := range list {
		if x < a.weight {
			return a
		}
		x -= a.weight
	}
	return list[len(list)-1]
}

func cityWeights(f func(city) float64) []float64 {
	w := make([]float64, len(cities))
	for i, c := range cities {
		w[i] = f(c)
	}
	return w
}

func cityIndex(name string) int {
	for i, c := range cities {
		if c.name == name {
			return i
		}
	}
	panic("tenant: city table has no " + name)
}

// location builds the location_info shared by every IP of a city.
func (c city) location() *event.Location {
	lat, lon := c.lat, c.lon
	return &event.Location{
		CountryCode: c.cc, CountryCode3: c.cc3, CountryName: c.country, CityName: c.name,
		SubdivisionCode: c.subCode, SubdivisionName: c.subName, TimeZone: c.tz,
		ContinentCode: c.continent, Latitude: &lat, Longitude: &lon,
	}
}
