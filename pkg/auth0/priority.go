package auth0

import "context"

// Priority orders the requests waiting for a tenant's client-side budget. An alert rule's
// evaluation has a deadline of its own and nobody watching a spinner, so it must never queue
// behind a dashboard's large reads; the tenant log store's tail can always wait.
type Priority int

// The priorities, highest first. The zero value is PriorityInteractive, so a context that says
// nothing is treated as a person looking at a panel.
const (
	// PriorityAlert is an alert rule's query: served before anything else that waits.
	PriorityAlert Priority = 1
	// PriorityInteractive is a dashboard panel or Explore: the default.
	PriorityInteractive Priority = 0
	// PriorityBackground is work nobody waits for, such as the store's tail and backfill.
	PriorityBackground Priority = -1
)

type priorityKey struct{}

// WithPriority marks every Auth0 request made under ctx with p. A value outside the three
// priorities is clamped to the nearest one.
func WithPriority(ctx context.Context, p Priority) context.Context {
	return context.WithValue(ctx, priorityKey{}, min(max(p, PriorityBackground), PriorityAlert))
}

// PriorityFrom is the priority WithPriority put on ctx, or PriorityInteractive.
func PriorityFrom(ctx context.Context) Priority {
	if p, ok := ctx.Value(priorityKey{}).(Priority); ok {
		return p
	}
	return PriorityInteractive
}

// String names the priority for logs.
func (p Priority) String() string {
	switch {
	case p >= PriorityAlert:
		return "alert"
	case p <= PriorityBackground:
		return "background"
	}
	return "interactive"
}

// rank maps a priority to a queue index, 0 being served first.
func (p Priority) rank() int {
	return int(PriorityAlert - min(max(p, PriorityBackground), PriorityAlert))
}

const numPriorities = int(PriorityAlert-PriorityBackground) + 1
