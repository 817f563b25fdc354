package logquery

import "fmt"

// SyntaxError says what is wrong with a query and where, so an editor can underline it and the
// user can fix it without reading Auth0's documentation.
type SyntaxError struct {
	// Pos is the 0-based byte offset into the query of the offending text; -1 when the problem was
	// found in a tree built by code (Compile on a hand-made node), which has no text.
	Pos int
	// Len is how many bytes from Pos the problem spans, at least 1 when Pos >= 0; a problem at the
	// very end of the query has Pos == len(query) and Len 1.
	Len int
	// Msg names the problem.
	Msg string
	// Hint says how to fix it; may be empty.
	Hint string
}

// Error reads "position 12: unknown field "x"; did you mean ...".
func (e *SyntaxError) Error() string {
	s := e.Msg
	if e.Pos >= 0 {
		s = fmt.Sprintf("position %d: %s", e.Pos, e.Msg)
	}
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// problem is a SyntaxError before it knows where it happened: value and field checks are shared
// by the parser (which knows positions) and Compile (which does not).
type problem struct {
	msg, hint string
}

func (p *problem) at(pos, length int) *SyntaxError {
	if length < 1 {
		length = 1
	}
	return &SyntaxError{Pos: pos, Len: length, Msg: p.msg, Hint: p.hint}
}

func errAt(pos, length int, msg, hint string) *SyntaxError {
	return (&problem{msg: msg, hint: hint}).at(pos, length)
}
