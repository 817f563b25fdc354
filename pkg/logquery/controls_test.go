package logquery

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The positions people read are characters from 1, as an editor's column: the same number the
// frontend shows for the same query (src/components/query/errorRange.test.ts uses these queries).
func TestErrorsCountCharactersFromOne(t *testing.T) {
	cases := []struct {
		q          string
		bytePos    int
		char       int
		wantPrefix string
	}{
		{`type:s AND AND`, 7, 8, "character 8: AND is followed by AND"},
		// é is 2 bytes but one character.
		{`user_name:"é" AND AND`, 15, 15, "character 15: "},
		// 😀 is 4 bytes (and 2 UTF-16 units in the browser) but one character.
		{`description:"😀" OR ?x`, 22, 20, "character 20: the ? wildcard"},
		{`é😀 zz:x`, 7, 4, `character 4: unknown field "zz"`},
		// An error at the very end points just past the last character.
		{`é AND`, 3, 3, "character 3: "},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			_, err := Parse(tc.q)
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.bytePos, se.Pos, "byte offset, for slicing in Go")
			assert.Equal(t, tc.char, se.Char, "character number")
			assert.True(t, strings.HasPrefix(err.Error(), tc.wantPrefix), err.Error())
		})
	}
}

func TestInvalidUTF8CountsOneCharacterPerByte(t *testing.T) {
	_, err := Parse("a\xff\xfe AND")
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 5, se.Char, "a, two bad bytes, a space, then AND")
}

func TestControlCharactersAreRefused(t *testing.T) {
	for r := rune(0); r <= 0x9f; r++ {
		if r >= 0x20 && r < 0x7f {
			continue
		}
		q := fmt.Sprintf("type:s%cOR type:f", r)
		_, err := Parse(q)
		if r == '\t' || r == '\n' || r == '\r' {
			assert.NoError(t, err, "U+%04X is whitespace between terms", r)
			continue
		}
		var se *SyntaxError
		if assert.ErrorAs(t, err, &se, "U+%04X", r) {
			assert.Equal(t, 6, se.Pos)
			assert.Equal(t, len(string(r)), se.Len, "the whole character is marked")
			assert.Equal(t, 7, se.Char)
			assert.Contains(t, se.Msg, fmt.Sprintf("U+%04X", r))
		}
	}
}

func TestControlCharactersAreRefusedEverywhere(t *testing.T) {
	// Inside quotes, escapes and ranges too: no part of the syntax lets one through to Auth0.
	for _, q := range []string{
		"description:\"a\x00b\"", "user_name:a\\\x00", "date:[2020-01-01 TO \x00]", "\x00", " \x00 ",
		"user_name:jo\x00*",
	} {
		_, err := Parse(q)
		require.ErrorContains(t, err, "control character", "%q", q)
	}
}

func TestLineBreaksAndTabsStayWhitespace(t *testing.T) {
	n, err := Parse("type:s\r\nOR\ttype:f\n")
	require.NoError(t, err)
	assert.Equal(t, `type:"s" OR type:"f"`, Render(n))
}

// TestEscapesCannotJoinBytesIntoAControl: FuzzParse found that a backslash between two invalid
// bytes made U+0085 once unescaped, which then failed the renderer's round trip.
func TestEscapesCannotJoinBytesIntoAControl(t *testing.T) {
	for _, q := range []string{"\xc2\\\x85", `description:"a` + "\xc2\\\x85" + `"`, "type:f\xc2\\\x9f"} {
		_, err := Parse(q)
		require.Error(t, err, "%q", q)
		assert.Contains(t, err.Error(), "control character U+00", "%q", q)
	}
	_, err := Parse(`description:"a\\b"`)
	assert.NoError(t, err, "an escaped backslash stays fine")
}
