package event

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fast paths (one pass over a page of objects; plain strings without json.Unmarshal) must
// give exactly what the element-by-element path gives. These tests hold them to it.

// oddPages are pages the fast path accepts or refuses for a reason: duplicate keys, escapes,
// invalid UTF-8, nested shapes, nulls and non-objects.
var oddPages = []string{
	`[]`,
	`[{}]`,
	`[{"log_id":"1","log_id":"2","_id":"3"}]`,
	`[{"log_id":"a\"b","description":"tab\there \u00e9 \ud83d\ude00","ip":"é"}]`,
	"[{\"user_name\":\"bad \xff utf8\",\"type\":\"s\"}]",
	`[{"scope":["a"," b ",3],"isMobile":"yes","is_mobile":false,"location_info":{"latitude":"1.5","country_code":7}}]`,
	`[{"date":{"$date":{"$numberLong":"1678805228713"}},"user_id":123,"extra":{"x":[1]}}]`,
	`[{"date":"nope","location_info":"Berlin","details":null}]`,
	`[{"log_id":"1"},null]`,
	`[{"log_id":"1"},"x"]`,
	`{"start":0,"limit":2,"logs":[{"log_id":"1"},{"_id":"2"}]}`,
	`{"logs":[{"log_id":"1"},7]}`,
}

func TestDecodeListFastPathAgreesWithElementPath(t *testing.T) {
	pages := append([]string(nil), oddPages...)
	if recordingsDirIfPresent() != "" {
		for _, body := range recordedLogBodies(t) {
			pages = append(pages, string(body))
		}
	}
	for _, page := range pages {
		requireSamePaths(t, []byte(page))
	}
}

// requireSamePaths checks that when decodeObjects accepts a list, decoding its elements one by one
// gives the same events and no error.
func requireSamePaths(t *testing.T, page []byte) {
	t.Helper()
	list := page
	var wrapped struct {
		Logs json.RawMessage `json:"logs"`
	}
	if len(page) > 0 && page[0] == '{' && json.Unmarshal(page, &wrapped) == nil {
		list = wrapped.Logs
	}
	fast, ok := decodeObjects(list)
	if !ok {
		return
	}
	var items []json.RawMessage
	require.NoError(t, json.Unmarshal(list, &items), "%s", page)
	slow, err := decodeEach(items)
	require.NoError(t, err, "%s", page)
	assert.Equal(t, slow, fast, "%s", page)
	viaAPI, err := DecodeList(page)
	require.NoError(t, err, "%s", page)
	assert.Equal(t, slow, viaAPI, "%s", page)
}

func FuzzDecodeListFastPath(f *testing.F) {
	for _, p := range oddPages {
		f.Add([]byte(p))
	}
	f.Fuzz(func(t *testing.T, page []byte) { requireSamePaths(t, page) })
}

// TestPlainStringAgreesWithUnmarshal draws string literals from an alphabet of the troublemakers
// (quote, backslash, control bytes, multi-byte and broken UTF-8) and compares lenientString's fast
// path with json.Unmarshal.
func TestPlainStringAgreesWithUnmarshal(t *testing.T) {
	alphabet := []string{"a", "Z", " ", `"`, `\`, `\n`, `\"`, `\u00e9`, "\t", "\x01", "é", "😀", "\xff", "\xe2\x82", "/"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		inner := ""
		for range r.IntN(6) {
			inner += alphabet[r.IntN(len(alphabet))]
		}
		lit := []byte(`"` + inner + `"`)
		var want string
		if json.Unmarshal(lit, &want) != nil {
			want = ""
		}
		if plainString([]byte(inner)) {
			require.Equal(t, want, inner, "%q is called plain", inner)
		}
		if json.Valid(lit) {
			require.Equal(t, want, lenientString(lit), "%q", lit)
		}
	}
}
