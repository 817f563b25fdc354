package aggregate

import (
	"fmt"
	"strings"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
	"github.com/seed/auth0logs-datasource/pkg/models"
)

// Key extracts the value an event is grouped, ranked or counted by. It takes a pointer so the hot
// loops never copy an Event, and it must not allocate: it is called once per event.
// An empty result means the event has no value for the field.
type Key func(e *event.Event) string

// keys maps every field in models.GroupFields to its extractor. Plain functions, not closures, so
// KeyFor allocates nothing.
var keys = map[string]Key{
	"type":        func(e *event.Event) string { return e.Type },
	"category":    func(e *event.Event) string { return eventtypes.CategoryOf(e.Type) },
	"ip":          func(e *event.Event) string { return e.IP },
	"user_name":   func(e *event.Event) string { return e.UserName },
	"user_id":     func(e *event.Event) string { return e.UserID },
	"client_name": func(e *event.Event) string { return e.ClientName },
	"client_id":   func(e *event.Event) string { return e.ClientID },
	"connection":  func(e *event.Event) string { return e.Connection },
	"strategy":    func(e *event.Event) string { return e.Strategy },
	"country":     func(e *event.Event) string { return e.Country() },
}

// KeyFor returns the extractor for one of models.GroupFields. The error names the valid fields so
// a query with a typo tells the user what to write instead.
//
// A field path (event.IsPath) reads the event's first value there: that key allocates, since
// reading inside details parses JSON, and the store cannot group by it in SQL (Stored says so).
func KeyFor(field string) (Key, error) {
	if k, ok := keys[field]; ok {
		return k, nil
	}
	if event.IsPath(field) {
		return func(e *event.Event) string { return e.PathValue(field) }, nil
	}
	return nil, fmt.Errorf("cannot group or count by %q: use one of %s, or a field path such as security_context.ja4", field, strings.Join(models.GroupFields, ", "))
}

// Stored reports whether field is one the store keeps a column for (models.GroupFields), so an
// engine can group or count by it without reading events.
func Stored(field string) bool {
	_, ok := keys[field]
	return ok
}
