package event

import (
	"encoding/json"
	"time"
)

// Event is one tenant log event. The json tags are Auth0's field names, so encoding an Event gives
// the shape the Management API returns (the emulator relies on that).
type Event struct {
	LogID            string    `json:"log_id"`
	Date             time.Time `json:"date"`
	Type             string    `json:"type"`
	Description      string    `json:"description,omitempty"`
	ClientID         string    `json:"client_id,omitempty"`
	ClientName       string    `json:"client_name,omitempty"`
	Connection       string    `json:"connection,omitempty"`
	ConnectionID     string    `json:"connection_id,omitempty"`
	Strategy         string    `json:"strategy,omitempty"`
	StrategyType     string    `json:"strategy_type,omitempty"`
	IP               string    `json:"ip,omitempty"`
	Hostname         string    `json:"hostname,omitempty"`
	UserID           string    `json:"user_id,omitempty"`
	UserName         string    `json:"user_name,omitempty"`
	UserAgent        string    `json:"user_agent,omitempty"`
	Audience         string    `json:"audience,omitempty"`
	Scope            string    `json:"scope,omitempty"`
	OrganizationID   string    `json:"organization_id,omitempty"`
	OrganizationName string    `json:"organization_name,omitempty"`
	IsMobile         bool      `json:"isMobile,omitempty"`
	Location         *Location `json:"location_info,omitempty"`
	// Details is kept raw: its shape depends on the event type and it is only ever shown, never
	// searched (Auth0 does not index it).
	Details json.RawMessage `json:"details,omitempty"`
	// Extra holds top-level fields this struct does not name, so nothing Auth0 adds is lost.
	Extra map[string]json.RawMessage `json:"-"`
}

// Location is Auth0's location_info: the geolocation of the event's IP.
type Location struct {
	CountryCode     string   `json:"country_code,omitempty"`
	CountryCode3    string   `json:"country_code3,omitempty"`
	CountryName     string   `json:"country_name,omitempty"`
	CityName        string   `json:"city_name,omitempty"`
	SubdivisionCode string   `json:"subdivision_code,omitempty"`
	SubdivisionName string   `json:"subdivision_name,omitempty"`
	TimeZone        string   `json:"time_zone,omitempty"`
	ContinentCode   string   `json:"continent_code,omitempty"`
	Latitude        *float64 `json:"latitude,omitempty"`
	Longitude       *float64 `json:"longitude,omitempty"`
}

// SearchableFields are the fields Auth0's log search accepts, in the documented order. Field names
// are case-sensitive.
var SearchableFields = []string{
	"client_id", "client_name", "connection", "connection_id", "description", "date", "hostname",
	"ip", "log_id", "organization_id", "user_id", "user_name", "user_agent", "strategy",
	"strategy_type", "type",
}

// DefaultSearchFields are the fields a bare term (one with no field name) is matched against.
var DefaultSearchFields = []string{"client_name", "connection", "description", "ip", "log_id", "type", "user_name"}

// DateLayout is how the API writes dates: UTC with milliseconds.
const DateLayout = "2006-01-02T15:04:05.000Z"

// Field returns the value of a searchable field as Auth0's search sees it, and false for a name
// that is not searchable. date is rendered with DateLayout so string comparison orders it.
func (e *Event) Field(name string) (string, bool) {
	switch name {
	case "client_id":
		return e.ClientID, true
	case "client_name":
		return e.ClientName, true
	case "connection":
		return e.Connection, true
	case "connection_id":
		return e.ConnectionID, true
	case "description":
		return e.Description, true
	case "date":
		return e.Date.UTC().Format(DateLayout), true
	case "hostname":
		return e.Hostname, true
	case "ip":
		return e.IP, true
	case "log_id":
		return e.LogID, true
	case "organization_id":
		return e.OrganizationID, true
	case "user_id":
		return e.UserID, true
	case "user_name":
		return e.UserName, true
	case "user_agent":
		return e.UserAgent, true
	case "strategy":
		return e.Strategy, true
	case "strategy_type":
		return e.StrategyType, true
	case "type":
		return e.Type, true
	}
	return "", false
}

// Country returns the event's ISO country code, or "" when Auth0 gave no location.
func (e *Event) Country() string {
	if e.Location == nil {
		return ""
	}
	return e.Location.CountryCode
}
