package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// apiError is the Management API's error body. errorCode is often absent in real responses, so it
// is omitted when empty.
type apiError struct {
	StatusCode int    `json:"statusCode"`
	Err        string `json:"error"`
	Message    string `json:"message"`
	ErrorCode  string `json:"errorCode,omitempty"`
}

func newAPIError(status int, message, code string) *apiError {
	return &apiError{StatusCode: status, Err: http.StatusText(status), Message: message, ErrorCode: code}
}

// The fixed errors, with the texts real tenants return. Each call builds a fresh value so no caller
// can alter a shared one.

func errInvalidToken() *apiError { return newAPIError(401, "Invalid token", "") }

func errExpiredToken() *apiError {
	return newAPIError(401, "Expired token received for JSON Web Token validation", "")
}

func errInsufficientScope() *apiError {
	return newAPIError(403, "Insufficient scope, expected any of: read:logs,read:logs_users", "insufficient_scope")
}

func errLogNotFound() *apiError { return newAPIError(404, "log not found", "inexistent_log") }

func errRouteNotFound() *apiError { return newAPIError(404, "Not Found", "") }

func errTooMany() *apiError {
	return newAPIError(429, "Global limit has been reached", "too_many_requests")
}

func errURITooLong() *apiError { return newAPIError(414, "Request-URI Too Large", "") }

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only our own plain structs are marshalled here, so this is a programming error.
		panic("emulator: cannot encode response: " + err.Error())
	}
	writeRaw(w, status, body)
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeAPIError(w http.ResponseWriter, e *apiError) { writeJSON(w, e.StatusCode, e) }

// tokenError is the authentication API's error shape, which differs from the Management API's.
type tokenError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}
