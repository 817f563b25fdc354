package logquery

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// checkControls refuses control characters before anything else reads the query. They are
// invisible in an editor, Auth0 has no use for them, and a NUL or an escape sequence that reached
// a log line or a URL would do harm there; refusing them here means no request is ever made for
// one. Tab, line feed and carriage return stay allowed: they are whitespace between terms in the
// syntax, and a query pasted over several lines is normal. Everything else in C0 (U+0000–U+001F,
// so also vertical tab and form feed), DEL (U+007F) and C1 (U+0080–U+009F, including NEL) is
// refused.
func checkControls(q string) *SyntaxError {
	if err := checkControlsIn(q, nil); err != nil {
		return err
	}
	if !strings.ContainsRune(q, '\\') {
		return nil
	}
	// A backslash escape drops the backslash, which can join two invalid bytes into a valid control
	// character ("\xc2\\\x85" unescapes to U+0085): check the text as the parser will read it too.
	var joined []byte
	var origin []int
	for i := 0; i < len(q); i++ {
		if q[i] == '\\' && i+1 < len(q) {
			i++
		}
		joined = append(joined, q[i])
		origin = append(origin, i)
	}
	return checkControlsIn(string(joined), origin)
}

// checkControlsIn checks q; origin, when set, maps each byte of q to its offset in the query.
func checkControlsIn(q string, origin []int) *SyntaxError {
	for i := 0; i < len(q); {
		r, w := rune(q[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(q[i:])
		}
		if isRefusedControl(r) {
			at := i
			if origin != nil {
				at, w = origin[i], origin[i+w-1]-origin[i]+1
			}
			return errAt(at, w, fmt.Sprintf("the query contains the control character %s, which is invisible and not allowed", controlName(r)),
				"delete it (it usually comes with pasted text); tabs and line breaks are fine")
		}
		i += w
	}
	return nil
}

func isRefusedControl(r rune) bool {
	switch r {
	case '\t', '\n', '\r':
		return false
	}
	return r < 0x20 || (r >= 0x7f && r <= 0x9f)
}

// controlName reads "U+0000 (NUL)" for the ones people meet, plain "U+001B" otherwise.
func controlName(r rune) string {
	names := map[rune]string{0: "NUL", 0x0b: "vertical tab", 0x0c: "form feed", 0x1b: "escape", 0x7f: "DEL", 0x85: "next line"}
	if n, ok := names[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, n)
	}
	return fmt.Sprintf("U+%04X", r)
}
