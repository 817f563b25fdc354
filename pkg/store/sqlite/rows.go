package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store/sqlwhere"
)

// row is an event as the events table holds it: eventColumns' values in order, with the
// residual not yet compressed (duplicates are compared before compression).
type row struct {
	values   []any
	residual []byte
}

// toRow lays e out in columns, interning strings through p.
func toRow(ctx context.Context, p *pending, e *event.Event) (row, error) {
	vals := make([]any, 0, len(eventColumns))
	vals = append(vals, sqlwhere.Millis(e.Date), idHash(e.LogID))
	for _, f := range sqlwhere.StringFields() {
		v := sqlwhere.Value(e, f)
		if !interned[f] {
			vals = append(vals, v)
			continue
		}
		id, err := p.id(ctx, v)
		if err != nil {
			return row{}, err
		}
		vals = append(vals, id)
	}
	var loc int64
	if e.Location != nil {
		doc, err := json.Marshal(e.Location)
		if err != nil {
			return row{}, fmt.Errorf("encode the location of log %s: %w", e.LogID, err)
		}
		if loc, err = p.id(ctx, string(doc)); err != nil {
			return row{}, err
		}
	}
	vals = append(vals, loc)
	return row{values: vals, residual: appendResidual(nil, e)}, nil
}

// selectColumns reads a row back in eventColumns order.
var selectColumns = strings.Join(eventColumns, ", ")

// scanned is a row read back: the same values as row, raw still compressed.
type scanned struct {
	dateMs int64
	idh    int64
	fields []any // string, or int64 for interned fields
	loc    int64
	raw    []byte
}

func newScanned() *scanned {
	return &scanned{fields: make([]any, len(sqlwhere.StringFields()))}
}

func (s *scanned) targets() []any {
	t := []any{&s.dateMs, &s.idh}
	for i := range s.fields {
		t = append(t, &s.fields[i])
	}
	return append(t, &s.loc, &s.raw)
}

// event rebuilds the event a row holds.
func (e *Engine) event(ctx context.Context, c *codec, s *scanned) (*event.Event, error) {
	ev := &event.Event{}
	for i, f := range sqlwhere.StringFields() {
		if f == sqlwhere.CountryField {
			continue // it comes back with the location
		}
		v, err := e.fieldText(ctx, s.fields[i])
		if err != nil {
			return nil, err
		}
		if p := ev.StringField(f); p != nil {
			*p = v
		}
	}
	if s.loc != 0 {
		doc, err := e.dict.text(ctx, e.w, s.loc)
		if err != nil {
			return nil, err
		}
		ev.Location = &event.Location{}
		if err := json.Unmarshal([]byte(doc), ev.Location); err != nil {
			return nil, fmt.Errorf("a stored location is malformed: %w", err)
		}
	}
	plain, err := c.dec.DecodeAll(s.raw, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: log %s: %v", ErrDamaged, ev.LogID, err)
	}
	nanos, err := readResidual(plain, ev)
	if err != nil {
		return nil, fmt.Errorf("%w: log %s: %v", ErrDamaged, ev.LogID, err)
	}
	ev.Date = time.UnixMilli(s.dateMs).Add(time.Duration(nanos)).UTC()
	return ev, nil
}

// fieldText is a column's value as text: itself, or the interned string its id names.
func (e *Engine) fieldText(ctx context.Context, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	case int64:
		// The writer's connection, never a reader's: a reader asking while it holds a reader
		// connection for the rows it is reading could wait forever for another one.
		return e.dict.text(ctx, e.w, x)
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("unexpected column value %T", v)
}
