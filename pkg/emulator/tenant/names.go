package tenant

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// fakeEmail makes a user name of the kind found in leaked combo lists. It is never the email of
// a real user of the tenant, so a login with it is an fu (unknown user).
func (p *population) fakeEmail(r *rand.Rand) string {
	for {
		f, l := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		var local string
		switch r.IntN(5) {
		case 0:
			local = f + strconv.Itoa(1+r.IntN(9999))
		case 1:
			local = l + "." + f + strconv.Itoa(60+r.IntN(40))
		case 2:
			local = f + "_" + l
		case 3:
			local = f[:1] + l + strconv.Itoa(r.IntN(1000))
		default:
			local = randString(r, 3+r.IntN(5), "abcdefghijklmnopqrstuvwxyz") + strconv.Itoa(r.IntN(100000))
		}
		e := local + "@" + leakDomains[r.IntN(len(leakDomains))]
		if !p.emails[e] {
			return e
		}
	}
}

// domainTypos are the misspellings users really type.
var domainTypos = map[string]string{
	"gmail.com": "gmial.com", "outlook.com": "outlok.com", "yahoo.com": "yaho.com",
	"icloud.com": "iclod.com", "hotmail.com": "hotmial.com",
}

// typo mistypes a real user's email, the usual cause of fu events on a quiet day.
func (p *population) typo(r *rand.Rand, email string) string {
	at := strings.IndexByte(email, '@')
	local, domain := email[:at], email[at+1:]
	for {
		if t, ok := domainTypos[domain]; ok && r.IntN(2) == 0 {
			domain = t
		} else if len(local) > 2 {
			i := 1 + r.IntN(len(local)-1)
			local = local[:i-1] + local[i:]
		} else {
			local += strconv.Itoa(r.IntN(10))
		}
		if e := local + "@" + domain; !p.emails[e] {
			return e
		}
	}
}

func (g *gen) fakeEmail(r *rand.Rand) string { return g.pop.fakeEmail(r) }

func (g *gen) typo(email string) string { return g.pop.typo(g.r, email) }
