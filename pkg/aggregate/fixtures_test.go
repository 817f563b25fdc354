package aggregate

import (
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// at parses an RFC 3339 time and panics on a typo, so test tables stay one line per case.
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// ev builds an event at date with the given type and ip; opts set anything else.
func ev(date, typ, ip string, opts ...func(*event.Event)) event.Event {
	e := event.Event{Date: at(date), Type: typ, IP: ip}
	for _, o := range opts {
		o(&e)
	}
	return e
}

func user(name, id string) func(*event.Event) {
	return func(e *event.Event) { e.UserName, e.UserID = name, id }
}

func client(name, id string) func(*event.Event) {
	return func(e *event.Event) { e.ClientName, e.ClientID = name, id }
}

func conn(connection, strategy string) func(*event.Event) {
	return func(e *event.Event) { e.Connection, e.Strategy = connection, strategy }
}

func loc(country, city string, lat, long float64) func(*event.Event) {
	return func(e *event.Event) {
		e.Location = &event.Location{CountryCode: country, CityName: city, Latitude: &lat, Longitude: &long}
	}
}

func mustKey(field string) Key {
	k, err := KeyFor(field)
	if err != nil {
		panic(err)
	}
	return k
}
