package logquery

import (
	"fmt"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// evt builds an event from name/value pairs using Auth0's field names; "date" is RFC 3339.
func evt(kv ...string) *event.Event {
	e := &event.Event{Date: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	for i := 0; i+1 < len(kv); i += 2 {
		setField(e, kv[i], kv[i+1])
	}
	return e
}

func setField(e *event.Event, name, v string) {
	if name == "date" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			panic(err)
		}
		e.Date = t
		return
	}
	p := e.StringField(name)
	if p == nil {
		panic(fmt.Sprintf("setField: unknown field %q", name))
	}
	*p = v
}
