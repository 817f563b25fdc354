package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// kinds says what each JSON key must hold, in the words an error message uses: "a whole number",
// "text", "a list of text".
type kinds map[string]string

// lookup finds the key as encoding/json does: the exact name first, then case-insensitively.
func (k kinds) lookup(key string) (string, bool) {
	if _, ok := k[key]; ok {
		return key, true
	}
	for name := range k {
		if strings.EqualFold(name, key) {
			return name, true
		}
	}
	return "", false
}

// errNotObject is returned for JSON that is valid but not an object (a list, a string, a number).
var errNotObject = errors.New("it is not a JSON object")

// decodeObject unmarshals raw into v. When that fails on a value of the wrong type, it finds the
// key at fault and says "requestsPerMinute: \"abc\" is not a whole number", where encoding/json
// would name only a Go type or, for a custom decoder's error, no field at all. The value quoted is
// passed through redact (when not nil) before it is shortened, so a cut never leaves part of a
// secret unrecognised.
func decodeObject(raw []byte, v any, fields kinds, redact func(string) string) error {
	err := json.Unmarshal(raw, v)
	if err == nil {
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return err
		}
		return errNotObject
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same key is named first on every run
	for _, k := range keys {
		one, _ := json.Marshal(map[string]json.RawMessage{k: obj[k]})
		if json.Unmarshal(one, v) == nil {
			continue
		}
		name, ok := fields.lookup(k)
		if !ok {
			name = k
		}
		what := fields[name]
		if what == "" {
			what = "of the expected kind"
		}
		shown := strings.TrimSpace(string(obj[k]))
		if redact != nil {
			shown = redact(shown)
		}
		return fmt.Errorf("%s: %s is not %s", name, shorten(shown), what)
	}
	return err
}

// shorten cuts a quoted value so a pasted document cannot flood the message.
func shorten(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
