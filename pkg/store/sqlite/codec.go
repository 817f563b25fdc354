package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/klauspost/compress/zstd"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// codec compresses what the columns do not hold. Events are short and alike, so each is
// compressed against a raw dictionary made of earlier events (stored in zdicts); a frame names
// its dictionary, so rows written before a dictionary existed still decode.
type codec struct {
	enc    *zstd.Encoder
	dec    *zstd.Decoder
	dictID uint32
	dicts  map[uint32][]byte
}

func newCodec(dicts map[uint32][]byte) (*codec, error) {
	c := &codec{dicts: dicts}
	eopts := []zstd.EOption{zstd.WithEncoderCRC(false), zstd.WithEncoderConcurrency(1),
		zstd.WithSingleSegment(true), zstd.WithEncoderLevel(zstd.SpeedBetterCompression)}
	dopts := []zstd.DOption{zstd.WithDecoderConcurrency(0)}
	for id, content := range dicts {
		c.dictID = max(c.dictID, id)
		dopts = append(dopts, zstd.WithDecoderDictRaw(id, content))
	}
	if c.dictID > 0 {
		eopts = append(eopts, zstd.WithEncoderDictRaw(c.dictID, dicts[c.dictID]))
	}
	var err error
	if c.enc, err = zstd.NewWriter(nil, eopts...); err != nil {
		return nil, fmt.Errorf("zstd encoder: %w", err)
	}
	if c.dec, err = zstd.NewReader(nil, dopts...); err != nil {
		return nil, fmt.Errorf("zstd decoder: %w", err)
	}
	return c, nil
}

func loadCodec(ctx context.Context, db *sql.DB) (*codec, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, content FROM zdicts")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	dicts := map[uint32][]byte{}
	for rows.Next() {
		var id uint32
		var content []byte
		if err := rows.Scan(&id, &content); err != nil {
			return nil, err
		}
		dicts[id] = content
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return newCodec(dicts)
}

// withDict returns a codec that also compresses with a new dictionary made of samples.
func (c *codec) withDict(samples [][]byte) (*codec, uint32, []byte, error) {
	var content []byte
	for _, s := range samples {
		if len(content)+len(s) > dictBytes {
			break
		}
		content = append(content, s...)
	}
	dicts := make(map[uint32][]byte, len(c.dicts)+1)
	for id, d := range c.dicts {
		dicts[id] = d
	}
	id := c.dictID + 1
	dicts[id] = content
	n, err := newCodec(dicts)
	return n, id, content, err
}

// dictBytes bounds a dictionary: enough for the shapes of a few dozen events of each kind.
const dictBytes = 48 << 10

// dictSamples is how many events a batch needs before it may seed the first dictionary.
const dictSamples = 64

// idHash finds a log_id again through a small index entry; the row's log_id settles collisions.
func idHash(logID string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(logID))
	return int64(h.Sum64())
}

// residual is the part of an event the columns do not hold, in a compact binary form: byte-exact
// for details and extra members, which JSON re-encoding would reformat.
func appendResidual(b []byte, e *event.Event) []byte {
	b = append(b, 1) // format version
	b = binary.AppendUvarint(b, uint64(e.Date.Nanosecond()%1e6))
	for _, s := range []string{e.Audience, e.Scope, e.OrganizationName} {
		b = appendBytes(b, []byte(s))
	}
	var flags byte
	if e.IsMobile {
		flags |= 1
	}
	if e.Details != nil {
		flags |= 2
	}
	b = append(b, flags)
	if e.Details != nil {
		b = appendBytes(b, e.Details)
	}
	keys := make([]string, 0, len(e.Extra))
	for k := range e.Extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = appendBytes(appendBytes(b, []byte(k)), e.Extra[k])
	}
	return b
}

func appendBytes(b, s []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

var errResidual = errors.New("a stored event's compressed part is malformed")

// readResidual fills e from appendResidual's form and returns the sub-millisecond nanoseconds.
func readResidual(b []byte, e *event.Event) (int, error) {
	r := reader{b: b}
	if r.byte() != 1 {
		return 0, errResidual
	}
	nanos := int(r.uvarint())
	e.Audience, e.Scope, e.OrganizationName = string(r.bytes()), string(r.bytes()), string(r.bytes())
	flags := r.byte()
	e.IsMobile = flags&1 != 0
	if flags&2 != 0 {
		e.Details = json.RawMessage(slices.Clone(r.bytes()))
	}
	if n := r.uvarint(); n > 0 && n < uint64(len(b)) {
		e.Extra = make(map[string]json.RawMessage, n)
		for range n {
			k := string(r.bytes())
			e.Extra[k] = json.RawMessage(slices.Clone(r.bytes()))
		}
	}
	if r.bad {
		return 0, errResidual
	}
	return nanos, nil
}

// reader reads appendResidual's pieces, remembering the first overrun instead of panicking.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.bad = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.bad = true
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}
