package plugin

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// addStoreResources serves the tenant log store's status (for the config page) and the erasure
// of one user's stored events (for a data-subject request). Neither calls Auth0.
func (d *Datasource) addStoreResources(mux *http.ServeMux) {
	mux.HandleFunc("GET /store/status", func(w http.ResponseWriter, r *http.Request) {
		rep := d.storeReport(r.Context())
		writeJSON(w, http.StatusOK, rep)
	})
	mux.HandleFunc("POST /store/delete-user", d.handleDeleteUser)
}

type deleteUserRequest struct {
	UserID string `json:"userId"`
}

type deleteUserResponse struct {
	Deleted int64  `json:"deleted"`
	Note    string `json:"note"`
}

// handleDeleteUser removes every stored event of one user_id. It destroys data, so only a
// Grafana admin may call it; it answers with how many events went.
func (d *Datasource) handleDeleteUser(w http.ResponseWriter, r *http.Request) {
	if u := backend.UserFromContext(r.Context()); u == nil || !strings.EqualFold(u.Role, "Admin") {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "only a Grafana admin may delete a user's stored events"})
		return
	}
	if d.store.tenant == nil {
		writeJSON(w, http.StatusConflict, map[string]string{"error": "this data source has the tenant log store off, so it holds no events to delete"})
		return
	}
	var req deleteUserRequest
	body, err := io.ReadAll(io.LimitReader(r.Body, 4096))
	if err != nil || json.Unmarshal(body, &req) != nil || strings.TrimSpace(req.UserID) == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `send {"userId": "<the Auth0 user_id, e.g. auth0|64f...>"}`})
		return
	}
	n, err := d.store.tenant.Engine.DeleteUser(r.Context(), d.store.tenant.Key, strings.TrimSpace(req.UserID))
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "the store could not delete the events: " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, deleteUserResponse{Deleted: n,
		Note: "Deleted from this Grafana's tenant log store. Auth0 keeps its own copy until its retention ends; delete the user in Auth0 too."})
}
