package emulator

import (
	"errors"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
)

// SearchFilter is the default Options.Filter: Auth0's log search syntax as pkg/logquery
// understands it, so the emulator rejects what Auth0 rejects (unknown fields, `?`, short infix
// wildcards) and matches what it matches. Its errors carry the parser's message without the
// position and hint: Auth0 gives no hints, and clients must not come to rely on them.
func SearchFilter(q string) (func(*event.Event) bool, error) {
	n, err := logquery.Parse(q)
	if err != nil {
		var se *logquery.SyntaxError
		if errors.As(err, &se) {
			return nil, errors.New(se.Msg)
		}
		return nil, err
	}
	m, err := logquery.Compile(n)
	if err != nil {
		return nil, err
	}
	return m.Match, nil
}
