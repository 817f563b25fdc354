package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/klauspost/compress/zstd"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Blobs of single events compress poorly on their own (450 bytes of JSON to about 290), because
// each starts with an empty window. A dictionary of typical blobs, shared through the database
// so every replica writes and reads the same one, brings them to about 80. It is made once, from
// the first large batch any replica commits, and never changes: blobs name it by id.

const (
	// dictSize is the dictionary's length; larger ones gain little (measured: 16 KB 94 bytes an
	// event, 64 KB 79, 112 KB 76).
	dictSize = 64 << 10
	// dictMinEvents is the smallest batch worth building the dictionary from.
	dictMinEvents = 500
)

// blobs compresses and expands event blobs with the dictionaries the database holds.
type blobs struct {
	mu     sync.RWMutex
	enc    *zstd.Encoder // with the newest dictionary; nil until one exists
	dec    *zstd.Decoder // knows every dictionary loaded, and plain zstd
	loaded int           // how many dictionaries dec knows
}

var plainEncoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))

// pack compresses plain into a blob with a leading format byte, keeping whatever is smallest.
func (b *blobs) pack(plain []byte) []byte {
	if len(plain) == 0 {
		return nil
	}
	b.mu.RLock()
	enc := b.enc
	b.mu.RUnlock()
	format, encoder := blobZstd, plainEncoder
	if enc != nil {
		format, encoder = blobZstdDict, enc
	}
	if packed := encoder.EncodeAll(plain, []byte{format}); len(packed) < len(plain)+1 {
		return packed
	}
	return append([]byte{blobPlain}, plain...)
}

// unpack expands a blob; reload is called once when it names a dictionary not loaded yet.
func (b *blobs) unpack(blob []byte, reload func() error) ([]byte, error) {
	switch blob[0] {
	case blobPlain:
		return blob[1:], nil
	case blobZstd, blobZstdDict:
	default:
		return nil, fmt.Errorf("unknown blob format %d", blob[0])
	}
	for attempt := 0; ; attempt++ {
		b.mu.RLock()
		dec := b.dec
		b.mu.RUnlock()
		if dec == nil {
			dec = plainDecoder
		}
		plain, err := dec.DecodeAll(blob[1:], nil)
		if !errors.Is(err, zstd.ErrUnknownDictionary) || attempt > 0 {
			return plain, err
		}
		if err := reload(); err != nil {
			return nil, err
		}
	}
}

var plainDecoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0))

// loadDicts reads the dictionaries and rebuilds the encoder and decoder when there are new ones.
func (e *Engine) loadDicts(ctx context.Context) error {
	rows, err := e.pool.Query(ctx, "SELECT id, content FROM dictionaries ORDER BY id")
	if err != nil {
		return e.scrub.classify("reading the compression dictionaries", err)
	}
	type dict struct {
		id      uint32
		content []byte
	}
	var dicts []dict
	var d dict
	if _, err := pgx.ForEachRow(rows, []any{&d.id, &d.content}, func() error {
		dicts = append(dicts, dict{d.id, append([]byte(nil), d.content...)})
		return nil
	}); err != nil {
		return e.scrub.classify("reading the compression dictionaries", err)
	}
	e.blobs.mu.Lock()
	defer e.blobs.mu.Unlock()
	if len(dicts) == 0 || len(dicts) == e.blobs.loaded {
		return nil
	}
	opts := []zstd.DOption{zstd.WithDecoderConcurrency(0)}
	for _, d := range dicts {
		opts = append(opts, zstd.WithDecoderDictRaw(d.id, d.content))
	}
	dec, err := zstd.NewReader(nil, opts...)
	if err != nil {
		return fmt.Errorf("the stored compression dictionaries are unusable: %w", err)
	}
	newest := dicts[len(dicts)-1]
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderDictRaw(newest.id, newest.content), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return fmt.Errorf("the stored compression dictionary is unusable: %w", err)
	}
	if e.blobs.dec != nil {
		e.blobs.dec.Close()
	}
	e.blobs.enc, e.blobs.dec, e.blobs.loaded = enc, dec, len(dicts)
	return nil
}

// ensureDict makes sure a dictionary exists before a large batch is encoded: it loads one another
// replica made, or builds the first from this batch. Two replicas building at once both insert
// id 1; the first wins and both then load it.
func (e *Engine) ensureDict(ctx context.Context, events []event.Event) error {
	e.blobs.mu.RLock()
	have := e.blobs.enc != nil
	e.blobs.mu.RUnlock()
	if have || len(events) < dictMinEvents {
		return nil
	}
	if err := e.loadDicts(ctx); err != nil {
		return err
	}
	e.blobs.mu.RLock()
	have = e.blobs.enc != nil
	e.blobs.mu.RUnlock()
	if have {
		return nil
	}
	content := dictContent(events)
	if _, err := e.pool.Exec(ctx, "INSERT INTO dictionaries (id, content) VALUES (1, $1) ON CONFLICT (id) DO NOTHING", content); err != nil {
		return e.scrub.classify("storing the compression dictionary", err)
	}
	return e.loadDicts(ctx)
}

// dictContent samples blobs evenly across the batch until dictSize bytes.
func dictContent(events []event.Event) []byte {
	var content []byte
	step := max(1, len(events)/512)
	for i := 0; len(content) < dictSize && i < len(events)*step; i += step {
		plain, err := json.Marshal(rawOf(&events[i%len(events)]))
		if err == nil {
			content = append(content, plain...)
		}
	}
	return content[max(0, len(content)-dictSize):]
}
