package logquery

import "time"

// Compose is the q to send for a user query limited to [from, to): the user's condition AND the
// date range, with the user's OR parenthesised so the range applies to all of it. A nil user
// query gives just the range.
func Compose(user Node, from, to time.Time) string {
	return Render(And(user, DateRange(from, to)))
}
