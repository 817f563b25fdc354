package eventtypes

// EventType describes one Auth0 log event-type code (the "type" field of a log event).
type EventType struct {
	// Code is Auth0's code, e.g. "fp".
	Code string `json:"code"`
	// Name is Auth0's current short name for the code.
	Name string `json:"name"`
	// Description is Auth0's longer wording; often empty.
	Description string `json:"description"`
	// Category is the id of the one category the code belongs to.
	Category string `json:"category"`
	// Outcome is how the event ended; it drives the log level.
	Outcome Outcome `json:"outcome"`
	// Legacy is true when only Auth0's old logs overview lists the code, so new tenants may
	// never emit it.
	Legacy bool `json:"legacy"`
	// Source names the document the code was taken from.
	Source string `json:"source"`
}

// Category is a family of codes a user filters or groups by, e.g. every failed login.
type Category struct {
	// ID is stable: saved queries and dashboards store it.
	ID string `json:"id"`
	// Name is what a picker or legend shows.
	Name string `json:"name"`
	// Description tells the user what the family covers.
	Description string `json:"description"`
}

// Preset is a named list of codes that an Auth0 guide recommends watching together.
type Preset struct {
	// ID is stable: saved queries and bundled dashboards store it.
	ID string `json:"id"`
	// Name is what a picker shows.
	Name string `json:"name"`
	// Description says what to look for with the preset.
	Description string `json:"description"`
	// Codes are the guide's codes, in the guide's order.
	Codes []string `json:"codes"`
	// Source names the guide the list comes from.
	Source string `json:"source"`
}

// Catalog is everything the package knows, in one value the plugin serves as JSON (resource
// "event-types") so the frontend and backend share one list.
type Catalog struct {
	Types      []EventType `json:"types"`
	Categories []Category  `json:"categories"`
	Presets    []Preset    `json:"presets"`
}
