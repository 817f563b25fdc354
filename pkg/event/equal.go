package event

import (
	"reflect"
	"time"
)

// Same reports whether e and o are the same event: every field equal, dates as instants. Auth0
// gives each event its own log_id, but sample and third-party data repeat ids ("XXX") on events
// that differ, so a fetch drops a repeated id only when the whole event repeats, as it does when
// keyset paging reads a boundary twice.
func (e *Event) Same(o *Event) bool {
	if !e.Date.Equal(o.Date) {
		return false
	}
	a, b := *e, *o
	a.Date, b.Date = time.Time{}, time.Time{} // equal instants, maybe in other zones
	return reflect.DeepEqual(a, b)
}
