package event

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSame(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	base := Event{LogID: "XXX", Date: at, Type: "s", Details: json.RawMessage(`{"a":1}`),
		Location: &Location{CountryCode: "NZ"}}
	same := base
	same.Date = at.In(time.FixedZone("NZDT", 13*3600)) // one instant, another zone
	same.Location = &Location{CountryCode: "NZ"}       // equal, not the same pointer
	assert.True(t, base.Same(&same))

	for name, change := range map[string]func(*Event){
		"date":     func(e *Event) { e.Date = e.Date.Add(time.Millisecond) },
		"type":     func(e *Event) { e.Type = "f" },
		"details":  func(e *Event) { e.Details = json.RawMessage(`{"a":2}`) },
		"location": func(e *Event) { e.Location = &Location{CountryCode: "AU"} },
		"extra":    func(e *Event) { e.Extra = map[string]json.RawMessage{"x": json.RawMessage(`1`)} },
	} {
		other := base
		change(&other)
		assert.False(t, base.Same(&other), name)
	}
}
