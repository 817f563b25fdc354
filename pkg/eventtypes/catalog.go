package eventtypes

import (
	"fmt"
	"slices"
	"strings"
)

// Lookup returns what the catalog knows about code. An unknown code (a type Auth0 added later)
// still gets a usable value: named by its code, in category "other", with outcome info, so callers
// never need a second path for it.
func Lookup(code string) EventType {
	if t, ok := loaded.byCode[code]; ok {
		return t
	}
	return EventType{Code: code, Name: code, Category: CategoryOther, Outcome: OutcomeInfo}
}

// Known reports whether code is in the catalog.
func Known(code string) bool {
	_, ok := loaded.byCode[code]
	return ok
}

// All returns every known event type sorted by code. The slice is the caller's to change.
func All() []EventType {
	return slices.Clone(loaded.types)
}

// Categories returns every category in the order a picker shows them, ending with "other".
func Categories() []Category {
	return slices.Clone(categoryList)
}

// CodesIn returns the codes of a category, sorted; nil for "other" or an unknown id.
func CodesIn(categoryID string) []string {
	return slices.Clone(loaded.byCategory[categoryID])
}

// CategoryOf returns the category id of code; "other" when the code is unknown.
func CategoryOf(code string) string {
	return Lookup(code).Category
}

// Presets returns the guide-based presets in a fixed order. The slices are the caller's to change.
func Presets() []Preset {
	out := make([]Preset, len(presetList))
	for i, p := range presetList {
		p.Codes = slices.Clone(p.Codes)
		out[i] = p
	}
	return out
}

// PresetByID returns the preset with the given id, and false when there is none.
func PresetByID(id string) (Preset, bool) {
	for _, p := range Presets() {
		if p.ID == id {
			return p, true
		}
	}
	return Preset{}, false
}

// CatalogData returns the whole catalog for the frontend, as served at resource "event-types".
func CatalogData() Catalog {
	return Catalog{Types: All(), Categories: Categories(), Presets: Presets()}
}

// ExpandCategories turns category ids into the codes they hold, so a category filter can become a
// type filter. Codes come in the order of the ids, each id's codes sorted; a repeated id adds
// nothing. An unknown id is an error that lists the valid ids. "other" is an error too: its codes
// are by definition unknown, so it cannot be written as a list of types.
func ExpandCategories(ids []string) ([]string, error) {
	var codes []string
	done := map[string]bool{}
	for _, id := range ids {
		if done[id] {
			continue
		}
		done[id] = true
		if id == CategoryOther {
			return nil, fmt.Errorf("category %q collects event types this plugin does not know, so it cannot be expanded into a list of types; remove it from the categories or pick event types instead", id)
		}
		c, ok := loaded.byCategory[id]
		if !ok {
			return nil, fmt.Errorf("unknown event category %q; valid categories are: %s", id, strings.Join(expandableIDs(), ", "))
		}
		codes = append(codes, c...)
	}
	return codes, nil
}

func expandableIDs() []string {
	ids := make([]string, 0, len(categoryList))
	for _, c := range categoryList {
		if c.ID != CategoryOther {
			ids = append(ids, c.ID)
		}
	}
	return ids
}
