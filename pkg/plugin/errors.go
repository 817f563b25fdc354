package plugin

import (
	"context"
	"errors"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
	"github.com/seed/auth0logs-datasource/pkg/fetch"
)

// errorResponse maps an error from the data path onto Grafana's status and error source, so the
// SDK counts Auth0's and the user's faults as downstream and only our bugs as plugin errors.
func errorResponse(err error) backend.DataResponse {
	status, source := classify(err)
	return backend.ErrDataResponseWithSource(status, source, message(err))
}

// message spells out a bare deadline or cancellation, which alone says nothing about what to do.
// The fetch joined by a query keeps running after the query gives up, so a retry often finds it
// cached.
func message(err error) string {
	switch err {
	case context.DeadlineExceeded:
		return "the query timed out before Auth0 answered (Auth0 is slow, or the requests-per-minute budget made it wait): " +
			"run it again in a moment, since what is read meanwhile is cached, or narrow the time range"
	case context.Canceled:
		return "the query was cancelled before Auth0 answered: run it again"
	}
	return err.Error()
}

func classify(err error) (backend.Status, backend.ErrorSource) {
	var ae *auth0.Error
	switch {
	case auth0.WhichLimit(err) != auth0.NotLimited:
		// Checked first: a limit error unwraps to DeadlineExceeded but is not a timeout.
		return backend.StatusTooManyRequests, backend.ErrorSourceDownstream
	case errors.Is(err, context.DeadlineExceeded):
		return backend.StatusTimeout, backend.ErrorSourceDownstream
	case errors.Is(err, context.Canceled):
		return backend.StatusTimeout, backend.ErrorSourceDownstream
	case errors.As(err, &ae):
		source := backend.ErrorSourcePlugin
		if ae.Downstream {
			source = backend.ErrorSourceDownstream
		}
		return statusOf(ae.Status), source
	case errors.Is(err, fetch.ErrTooManyTies):
		return backend.StatusBadRequest, backend.ErrorSourceDownstream
	case backend.IsDownstreamError(err):
		return backend.StatusBadRequest, backend.ErrorSourceDownstream
	}
	return backend.StatusInternal, backend.ErrorSourcePlugin
}

func statusOf(httpStatus int) backend.Status {
	switch {
	case httpStatus == 0:
		return backend.StatusBadGateway // no answer at all: DNS, connection, TLS
	case httpStatus >= 200 && httpStatus < 300:
		return backend.StatusBadGateway // an answer that could not be read
	case httpStatus == 400:
		return backend.StatusBadRequest
	case httpStatus == 401:
		return backend.StatusUnauthorized
	case httpStatus == 403:
		return backend.StatusForbidden
	case httpStatus == 404:
		return backend.StatusNotFound
	case httpStatus == 429:
		return backend.StatusTooManyRequests
	case httpStatus >= 500:
		return backend.StatusBadGateway
	}
	return backend.StatusBadRequest
}
