package models

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Tenant log store defaults. Retention matches Auth0's longest (Enterprise, 30 days) so the store
// never keeps less than Auth0 would; the poll interval keeps a caught-up tail within half a minute
// at one request a poll.
const (
	DefaultStoreRetentionDays = 30
	DefaultStoreBackfillDays  = 30
	DefaultStorePollSeconds   = 30
	MaxStoreRetentionDays     = 3650
	MaxStoreBackfillDays      = 30 // Auth0 keeps at most 30 days
	MinStorePollSeconds       = 2
	MaxStorePollSeconds       = 3600
)

// StoreSettings are the data source's choices about the tenant log store. Where the store lives is
// the Grafana admin's (grafana.ini), never a data-source setting.
type StoreSettings struct {
	// Enabled turns the store on: a tail reads the tenant once and queries are answered from it.
	Enabled FlexBool `json:"storeEnabled,omitempty"`
	// RetentionDays is how long stored events are kept.
	RetentionDays FlexInt `json:"storeRetentionDays,omitempty"`
	// BackfillDays is how far back the first start reads what Auth0 still holds.
	BackfillDays FlexInt `json:"storeBackfillDays,omitempty"`
	// PollSeconds is how often a caught-up tail asks for new events.
	PollSeconds FlexInt `json:"storePollSeconds,omitempty"`
}

// storeKinds says what each store key holds, so a wrongly typed one is named with its value.
var storeKinds = kinds{
	"storeEnabled": "true or false", "storeRetentionDays": "a whole number", "storeBackfillDays": "a whole number",
	"storePollSeconds": "a whole number",
}

// LoadStoreSettings reads the store's part of the data source's JSON settings with defaults.
func LoadStoreSettings(jsonData []byte) (StoreSettings, error) {
	var s StoreSettings
	if len(jsonData) > 0 {
		if err := decodeObject(jsonData, &s, storeKinds, nil); err != nil {
			return s, fmt.Errorf("tenant log store settings: %v", err)
		}
	}
	if s.RetentionDays == 0 {
		s.RetentionDays = DefaultStoreRetentionDays
	}
	if s.BackfillDays == 0 {
		s.BackfillDays = DefaultStoreBackfillDays
	}
	if s.PollSeconds == 0 {
		s.PollSeconds = DefaultStorePollSeconds
	}
	switch {
	case s.RetentionDays < 1 || s.RetentionDays > MaxStoreRetentionDays:
		return s, fmt.Errorf("storeRetentionDays: %d is out of range: keep events 1 to %d days", s.RetentionDays, MaxStoreRetentionDays)
	case s.BackfillDays < 0 || s.BackfillDays > MaxStoreBackfillDays:
		return s, fmt.Errorf("storeBackfillDays: %d is out of range: Auth0 keeps at most %d days, so read back 0 to %d", s.BackfillDays, MaxStoreBackfillDays, MaxStoreBackfillDays)
	case s.PollSeconds < MinStorePollSeconds || s.PollSeconds > MaxStorePollSeconds:
		return s, fmt.Errorf("storePollSeconds: %d is out of range: poll every %d to %d seconds", s.PollSeconds, MinStorePollSeconds, MaxStorePollSeconds)
	}
	return s, nil
}

// Poll is PollSeconds as a duration.
func (s StoreSettings) Poll() time.Duration { return time.Duration(s.PollSeconds) * time.Second }

// FlexBool is a yes/no that may arrive as a JSON boolean or, from provisioning with environment
// variables, as the strings "true"/"false" ("" meaning the default, false).
type FlexBool bool

// UnmarshalJSON accepts true, false, "true", "false", "1", "0" and "".
func (b *FlexBool) UnmarshalJSON(raw []byte) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*b = false
	case bool:
		*b = FlexBool(x)
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "", "false", "0", "no", "off":
			*b = false
		case "true", "1", "yes", "on":
			*b = true
		default:
			return fmt.Errorf("%q is not true or false", x)
		}
	default:
		return fmt.Errorf("%s is not true or false", raw)
	}
	return nil
}
