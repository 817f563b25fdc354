package postgres

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store/sqlwhere"
)

// columns are the searchable fields (and the country code) that have a column of their own, in
// the order of the table's definition; everything else of an event lives in the raw blob.
var columns = sqlwhere.StringFields()

// rawEvent is what the columns do not hold. Date is set only for a date finer than the
// millisecond the date column keeps, so ordinary events pay nothing for it.
type rawEvent struct {
	Date             string                     `json:"date,omitempty"`
	Audience         string                     `json:"audience,omitempty"`
	Scope            string                     `json:"scope,omitempty"`
	OrganizationName string                     `json:"organization_name,omitempty"`
	IsMobile         bool                       `json:"isMobile,omitempty"`
	Location         *event.Location            `json:"location_info,omitempty"`
	Details          json.RawMessage            `json:"details,omitempty"`
	Extra            map[string]json.RawMessage `json:"extra,omitempty"`
	// Exact holds the true value of a column PostgreSQL's text type cannot store (a NUL
	// character), while the column holds it with U+FFFD in place.
	Exact map[string]string `json:"exact,omitempty"`
}

// Blob formats: the first byte says how the rest is stored.
const (
	blobPlain    byte = 0
	blobZstd     byte = 1
	blobZstdDict byte = 2 // the zstd frame names its dictionary
)

// row is one event as the table stores it.
type row struct {
	logID  string
	dateMS int64
	values []string // in the order of columns
	hash   []byte   // identifies the content, to tell a duplicate from a conflict
	blob   []byte
	size   int32 // estimated bytes on disk, table and indexes
}

// encodeRow lays an event out as a row; the blob is compressed when that makes it smaller.
func encodeRow(e *event.Event, b *blobs) (row, error) {
	r := row{dateMS: sqlwhere.Millis(e.Date), values: make([]string, len(columns))}
	raw := rawOf(e)
	for i, f := range columns {
		v := sqlwhere.Value(e, f)
		if safe := textSafe(v); safe != v {
			if raw.Exact == nil {
				raw.Exact = map[string]string{}
			}
			raw.Exact[f], v = v, safe
		}
		r.values[i] = v
	}
	r.logID = r.values[slices.Index(columns, "log_id")]
	if e.Date.Nanosecond()%int(time.Millisecond) != 0 {
		raw.Date = e.Date.UTC().Format(time.RFC3339Nano)
	}
	plain, err := json.Marshal(raw)
	if err != nil {
		return row{}, fmt.Errorf("event %q cannot be encoded for the store: %w", e.LogID, err)
	}
	if string(plain) == "{}" {
		plain = nil
	}
	r.hash = contentHash(&r, plain)
	r.blob = b.pack(plain)
	r.size = estimateSize(&r)
	return r, nil
}

// rawOf is the part of an event the blob holds.
func rawOf(e *event.Event) rawEvent {
	return rawEvent{Audience: e.Audience, Scope: e.Scope, OrganizationName: e.OrganizationName,
		IsMobile: e.IsMobile, Location: e.Location, Details: e.Details, Extra: e.Extra}
}

// contentHash covers every stored value, so two events with one log_id compare by 16 bytes.
func contentHash(r *row, plain []byte) []byte {
	h := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(r.dateMS))
	h.Write(n[:])
	for _, v := range r.values {
		binary.BigEndian.PutUint64(n[:], uint64(len(v)))
		h.Write(n[:])
		h.Write([]byte(v))
	}
	h.Write(plain)
	return h.Sum(nil)[:16]
}

// estimateSize approximates a row's share of the disk: tuple header and fixed columns, each text
// value with its length byte, and its entries in the four indexes (key, date, type and user).
func estimateSize(r *row) int32 {
	n := 24 + 4 + 4 + 8 + 17 + len(r.blob) + 1
	for _, v := range r.values {
		n += len(v) + 1
	}
	n += len(r.logID) + 16 + 24 + 24 + len(r.values[userIDColumn()]) + 16
	return int32(n)
}

func userIDColumn() int {
	for i, c := range columns {
		if c == "user_id" {
			return i
		}
	}
	return 0
}

// decodeRow rebuilds the event from its columns and blob.
func decodeRow(logID string, dateMS int64, values []string, blob []byte, unpack func([]byte) ([]byte, error)) (event.Event, error) {
	e := event.Event{Date: time.UnixMilli(dateMS).UTC()}
	for i, f := range columns {
		setField(&e, f, values[i])
	}
	if len(blob) == 0 {
		return e, nil
	}
	plain, err := unpack(blob)
	if err != nil {
		return e, fmt.Errorf("stored event %q is unreadable: %w", logID, err)
	}
	var raw rawEvent
	if err := json.Unmarshal(plain, &raw); err != nil {
		return e, fmt.Errorf("stored event %q is corrupt: %w", logID, err)
	}
	e.Audience, e.Scope, e.OrganizationName, e.IsMobile = raw.Audience, raw.Scope, raw.OrganizationName, raw.IsMobile
	e.Details, e.Extra = raw.Details, raw.Extra
	if raw.Location != nil {
		e.Location = raw.Location
	}
	for f, v := range raw.Exact {
		setField(&e, f, v)
	}
	if raw.Date != "" {
		if d, err := time.Parse(time.RFC3339Nano, raw.Date); err == nil {
			e.Date = d.UTC()
		}
	}
	return e, nil
}

// textSafe is v as a text column can hold it: PostgreSQL refuses NUL characters and invalid UTF-8.
func textSafe(v string) string {
	if strings.IndexByte(v, 0) < 0 && utf8.ValidString(v) {
		return v
	}
	return strings.ReplaceAll(strings.ToValidUTF8(v, "\uFFFD"), "\x00", "\uFFFD")
}

// setField writes a column's value back; country comes from location_info, which the blob holds.
func setField(e *event.Event, field, v string) {
	if p := e.StringField(field); p != nil {
		*p = v
	}
}
