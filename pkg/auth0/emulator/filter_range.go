package emulator

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// rangeTerm parses [low TO high] with [ ] inclusive, { } exclusive, mixable, and * for an open end.
func (p *queryScanner) rangeTerm(field string) (func(*event.Event) bool, error) {
	lowIncl := p.peek() == '['
	p.pos++
	p.skipSpace()
	low, err := p.value(true)
	if err != nil {
		return nil, fmt.Errorf("range on %s: %w", field, err)
	}
	p.skipSpace()
	if p.word() != "TO" {
		return nil, fmt.Errorf("range on %s: expected TO between the bounds, as in %s:[a TO b]", field, field)
	}
	p.skipSpace()
	high, err := p.value(true)
	if err != nil {
		return nil, fmt.Errorf("range on %s: %w", field, err)
	}
	p.skipSpace()
	if p.done() || (p.peek() != ']' && p.peek() != '}') {
		return nil, fmt.Errorf("range on %s: expected ] or } to close it", field)
	}
	highIncl := p.peek() == ']'
	p.pos++
	if field == "date" {
		return dateRange(low, high, lowIncl, highIncl)
	}
	return func(e *event.Event) bool {
		v, _ := e.Field(field)
		return inBounds(strings.Compare(v, low), strings.Compare(v, high), low == "*", high == "*", lowIncl, highIncl)
	}, nil
}

// inBounds decides a range from the comparisons of a value with each bound.
func inBounds(cmpLow, cmpHigh int, lowOpen, highOpen, lowIncl, highIncl bool) bool {
	lowOK := lowOpen || cmpLow > 0 || (lowIncl && cmpLow == 0)
	highOK := highOpen || cmpHigh < 0 || (highIncl && cmpHigh == 0)
	return lowOK && highOK
}

func dateRange(low, high string, lowIncl, highIncl bool) (func(*event.Event) bool, error) {
	var lo, hi time.Time
	var err error
	if low != "*" {
		if lo, err = parseDateBound(low); err != nil {
			return nil, err
		}
	}
	if high != "*" {
		if hi, err = parseDateBound(high); err != nil {
			return nil, err
		}
	}
	return func(e *event.Event) bool {
		return inBounds(e.Date.Compare(lo), e.Date.Compare(hi), low == "*", high == "*", lowIncl, highIncl)
	}, nil
}

// dateLayouts are the bound forms accepted, longest first. Without a zone a bound is UTC, and a
// partial date means the start of that period (the built-in does not round upper bounds up).
var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02", "2006-01", "2006",
}

func parseDateBound(s string) (time.Time, error) {
	for _, layout := range dateLayouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("invalid date \"" + s + "\"; use YYYY-MM-DD or YYYY-MM-DDThh:mm:ss")
}
