package models

import (
	"bytes"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// minRedactLen is the shortest secret replaced in text: a secret of one to three characters would
// turn every message into noise, and is not worth hiding from the person who typed it.
const minRedactLen = 4

// redacted stands in for a secret in every message.
const redacted = "[redacted]"

// Redactor holds every spelling of some secret values that a message could carry, longest first
// so a secret is replaced whole before any part of it. The zero Redactor hides nothing.
type Redactor []string

// NewRedactor covers each value (the client secret, a secure setting added later, the store's
// PostgreSQL connection string from grafana.ini) and, inside a connection string, its password
// alone: a message about a database may quote the password without the rest of the string.
func NewRedactor(values ...string) Redactor {
	var secrets []string
	for _, v := range values {
		secrets = append(secrets, v)
		secrets = append(secrets, connectionPasswords(v)...)
	}
	var forms []string
	for _, s := range secrets {
		if len(s) < minRedactLen {
			continue
		}
		forms = append(forms, spellings(s)...)
	}
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	return slices.Compact(forms)
}

// newRedactor covers every secure setting of a data source.
func newRedactor(secure map[string]string) Redactor {
	values := make([]string, 0, len(secure))
	for _, v := range secure {
		values = append(values, v)
	}
	return NewRedactor(values...)
}

// spellings are the forms a value takes in text: raw, quoted by %q or JSON, and URL-encoded.
func spellings(s string) []string {
	quoted := strconv.Quote(s)
	js, _ := json.Marshal(s) // escapes & < > as \u00XX, as Go writes JSON
	var plain bytes.Buffer   // leaves them, as a browser writes JSON
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	pj := strings.TrimSpace(plain.String())
	out := []string{s, quoted[1 : len(quoted)-1], string(js[1 : len(js)-1]), pj[1 : len(pj)-1], url.QueryEscape(s), url.PathEscape(s),
		strings.ReplaceAll(url.QueryEscape(s), "+", "%20")}
	var keep []string
	for _, f := range out {
		if len(f) >= minRedactLen {
			keep = append(keep, f)
		}
	}
	return keep
}

// withheld replaces a whole text that still shows a secret after redaction: a secret that overlaps
// the marker or the words around it can be rebuilt by the replacement itself.
const withheld = "[a message that would show a secure setting was withheld: check the data source settings]"

// Redact replaces every spelling of every secret in text; a text in which the replacement itself
// would rebuild a secret is withheld whole.
func (r Redactor) Redact(text string) string {
	for _, f := range r {
		text = strings.ReplaceAll(text, f, redacted)
	}
	for _, f := range r {
		if strings.Contains(text, f) {
			return withheld
		}
	}
	return text
}

// connectionPasswords finds the password in a database connection string, in URL form
// (postgres://user:pass@host/db) or key/value form (host=db password='p w'). A value that is
// neither yields nothing.
func connectionPasswords(s string) []string {
	var out []string
	if i := strings.Index(s, "://"); i >= 0 {
		rest := s[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			userinfo := rest[:at]
			if c := strings.Index(userinfo, ":"); c >= 0 {
				pw := userinfo[c+1:]
				out = append(out, pw)
				if dec, err := url.PathUnescape(pw); err == nil && dec != pw {
					out = append(out, dec)
				}
			}
		}
	}
	lower := strings.ToLower(s)
	for from := 0; ; {
		i := strings.Index(lower[from:], "password")
		if i < 0 {
			break
		}
		j := from + i + len("password")
		from = j
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j >= len(s) || s[j] != '=' {
			continue
		}
		j++
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if pw := kvValue(s[j:]); pw != "" {
			out = append(out, pw)
		}
	}
	return out
}

// kvValue reads one libpq key/value value: up to the next space, or a single-quoted string in which
// \' and \\ stand for ' and \.
func kvValue(s string) string {
	if !strings.HasPrefix(s, "'") {
		if end := strings.IndexAny(s, " \t\n&;"); end >= 0 {
			return s[:end]
		}
		return s
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '\'':
			return b.String()
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
