package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/models"
)

// newResourceMux routes the editor's resource calls. None of them calls Auth0: they are free.
func (d *Datasource) newResourceMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /event-types", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, eventtypes.CatalogData())
	})
	mux.HandleFunc("GET /fields", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, fieldsResponse{Searchable: event.SearchableFields, DefaultFields: event.DefaultSearchFields, GroupBy: models.GroupFields})
	})
	mux.HandleFunc("POST /validate", handleValidate)
	d.addStoreResources(mux)
	return mux
}

type fieldsResponse struct {
	Searchable    []string `json:"searchable"`
	DefaultFields []string `json:"defaultFields"`
	GroupBy       []string `json:"groupBy"`
}

type validateRequest struct {
	Query string `json:"query"`
}

type validateResponse struct {
	Valid    bool           `json:"valid"`
	Rendered string         `json:"rendered,omitempty"`
	Error    *validateError `json:"error,omitempty"`
}

type validateError struct {
	Message  string `json:"message"`
	Position int    `json:"position"`
	Length   int    `json:"length"`
	// Character is Position as editors count it: Unicode characters from 1, the numbering every
	// message uses. Position and Length stay byte offsets for slicing.
	Character int    `json:"character"`
	Hint      string `json:"hint,omitempty"`
}

// maxValidateBody bounds what the validate resource reads: far more than the longest query.
const maxValidateBody = 64 << 10

// handleValidate lets the editor show a query's mistakes as the user types, at no API cost.
func handleValidate(w http.ResponseWriter, r *http.Request) {
	var req validateRequest
	body, err := io.ReadAll(io.LimitReader(r.Body, maxValidateBody+1))
	if err == nil && len(body) > maxValidateBody {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": fmt.Sprintf(
			"the request is over %d KB; a query may be at most %d characters", maxValidateBody>>10, models.MaxQueryLength)})
		return
	}
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `send {"query": "..."} as JSON`})
		return
	}
	if len(req.Query) > models.MaxQueryLength {
		// The same limit as a query's, so the editor never calls valid what the backend refuses.
		writeJSON(w, http.StatusOK, validateResponse{Error: &validateError{Length: len(req.Query), Message: fmt.Sprintf(
			"the query is %d characters long; the limit is %d: split it or use event-type filters", len(req.Query), models.MaxQueryLength)}})
		return
	}
	n, err := logquery.Parse(req.Query)
	if err != nil {
		ve := &validateError{Message: err.Error()}
		var se *logquery.SyntaxError
		if errors.As(err, &se) {
			ve = &validateError{Message: se.Msg, Position: se.Pos, Length: se.Len, Character: se.Char, Hint: se.Hint}
		}
		writeJSON(w, http.StatusOK, validateResponse{Error: ve})
		return
	}
	resp := validateResponse{Valid: true}
	if n != nil {
		resp.Rendered = logquery.Render(n)
	}
	writeJSON(w, http.StatusOK, resp)
}

// writeJSON sets the content type before the status, which would otherwise freeze the headers.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
