package logquery

import (
	"fmt"
	"unicode/utf8"
)

// SyntaxError says what is wrong with a query and where, so an editor can underline it and the
// user can fix it without reading Auth0's documentation.
type SyntaxError struct {
	// Pos is the 0-based byte offset into the query of the offending text, for slicing the query
	// in Go; -1 when the problem was found in a tree built by code (Compile on a hand-made node),
	// which has no text.
	Pos int
	// Len is how many bytes from Pos the problem spans, at least 1 when Pos >= 0; a problem at the
	// very end of the query has Pos == len(query) and Len 1.
	Len int
	// Char is where the problem starts as a person counts: characters (Unicode code points) from
	// 1, as editors number columns, so the message and the editor's marker agree whatever the
	// query's script. 0 when there is no position. Parse sets it; it is what Error prints.
	Char int
	// Msg names the problem.
	Msg string
	// Hint says how to fix it; may be empty.
	Hint string
}

// Error reads `character 12: unknown field "x"; did you mean ...`.
func (e *SyntaxError) Error() string {
	s := e.Msg
	if e.Pos >= 0 {
		char := e.Char
		if char < 1 {
			// Built without a query to count in (by hand or in a test): bytes are the best guess.
			char = e.Pos + 1
		}
		s = fmt.Sprintf("character %d: %s", char, e.Msg)
	}
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// charNumber is the 1-based code-point number of byte offset pos in q. Each byte of invalid
// UTF-8 counts as one character, as the lexer reads it and as a browser shows it (one U+FFFD).
func charNumber(q string, pos int) int {
	pos = min(max(pos, 0), len(q))
	return utf8.RuneCountInString(q[:pos]) + 1
}

// locate fills in Char for an error found in q.
func locate(q string, err *SyntaxError) *SyntaxError {
	if err != nil && err.Pos >= 0 {
		err.Char = charNumber(q, err.Pos)
	}
	return err
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
