package plugin

import (
	"context"
	"errors"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/seed/auth0logs-datasource/pkg/auth0"
)

// errorResponse maps an error from the data path onto Grafana's status and error source, so the
// SDK counts Auth0's and the user's faults as downstream and only our bugs as plugin errors.
func errorResponse(err error) backend.DataResponse {
	status, source := classify(err)
	return backend.ErrDataResponseWithSource(status, source, err.Error())
}

func classify(err error) (backend.Status, backend.ErrorSource) {
	var ae *auth0.Error
	switch {
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
	case backend.IsDownstreamError(err):
		return backend.StatusBadRequest, backend.ErrorSourceDownstream
	}
	return backend.StatusInternal, backend.ErrorSourcePlugin
}

func statusOf(httpStatus int) backend.Status {
	switch {
	case httpStatus == 0:
		return backend.StatusBadGateway // no answer at all: DNS, connection, TLS
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
