package tenant

import (
	"math/rand/v2"
	"strconv"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// endpoint is an IP with its geolocation. All IPs of a city share one *event.Location, so the
// same IP always carries the same location_info.
type endpoint struct {
	ip  string
	loc *event.Location
}

// ipSpace hands each city its own IPv4 /16 prefixes and IPv6 /32 prefix, none shared between
// cities; an address therefore identifies its city without any lookup table.
type ipSpace struct {
	nets4 [][]uint16 // per city: the first two octets of its /16 networks
	nets6 []uint32   // per city: the first two groups of its /32 network
	locs  []*event.Location
}

// v6FirstGroup is a plausible regional allocation per continent, so addresses look like ISP ones.
var v6FirstGroup = map[string]uint32{"NA": 0x2600, "EU": 0x2a00, "AS": 0x2400, "OC": 0x2400, "SA": 0x2800, "AF": 0x2c00}

func newIPSpace(r *rand.Rand) *ipSpace {
	s := &ipSpace{nets4: make([][]uint16, len(cities)), nets6: make([]uint32, len(cities)), locs: make([]*event.Location, len(cities))}
	used4 := map[uint16]bool{}
	used6 := map[uint32]bool{}
	for i, c := range cities {
		s.locs[i] = c.location()
		for len(s.nets4[i]) < 3 {
			a := uint16(11 + r.IntN(213))
			if reservedFirstOctet(a) {
				continue
			}
			pre := a<<8 | uint16(r.IntN(256))
			if !used4[pre] {
				used4[pre] = true
				s.nets4[i] = append(s.nets4[i], pre)
			}
		}
		for s.nets6[i] == 0 {
			pre := (v6FirstGroup[c.continent]+uint32(r.IntN(16)))<<16 | uint32(0x1000+r.IntN(0xf000))
			if !used6[pre] {
				used6[pre] = true
				s.nets6[i] = pre
			}
		}
	}
	return s
}

// reservedFirstOctet rules out private, loopback, shared and documentation space.
func reservedFirstOctet(a uint16) bool {
	switch a {
	case 100, 127, 169, 172, 192, 198, 203:
		return true
	}
	return false
}

func (s *ipSpace) v4(r *rand.Rand, city int) endpoint {
	pre := s.nets4[city][r.IntN(len(s.nets4[city]))]
	b := make([]byte, 0, 15)
	b = strconv.AppendUint(b, uint64(pre>>8), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(pre&0xff), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(r.IntN(256)), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(1+r.IntN(254)), 10)
	return endpoint{ip: string(b), loc: s.locs[city]}
}

// v6 writes a full address with no zero group, so it is already in canonical (RFC 5952) form.
func (s *ipSpace) v6(r *rand.Rand, city int) endpoint {
	pre := s.nets6[city]
	b := make([]byte, 0, 39)
	b = strconv.AppendUint(b, uint64(pre>>16), 16)
	b = append(b, ':')
	b = strconv.AppendUint(b, uint64(pre&0xffff), 16)
	for range 6 {
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(1+r.IntN(0xffff)), 16)
	}
	return endpoint{ip: string(b), loc: s.locs[city]}
}
