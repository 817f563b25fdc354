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
	switch name {
	case "client_id":
		e.ClientID = v
	case "client_name":
		e.ClientName = v
	case "connection":
		e.Connection = v
	case "connection_id":
		e.ConnectionID = v
	case "description":
		e.Description = v
	case "date":
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			panic(err)
		}
		e.Date = t
	case "hostname":
		e.Hostname = v
	case "ip":
		e.IP = v
	case "log_id":
		e.LogID = v
	case "organization_id":
		e.OrganizationID = v
	case "user_id":
		e.UserID = v
	case "user_name":
		e.UserName = v
	case "user_agent":
		e.UserAgent = v
	case "strategy":
		e.Strategy = v
	case "strategy_type":
		e.StrategyType = v
	case "type":
		e.Type = v
	default:
		panic(fmt.Sprintf("setField: unknown field %q", name))
	}
}
