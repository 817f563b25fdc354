package plugin

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"

	"github.com/seed/auth0logs-datasource/pkg/models"
)

var (
	_ backend.QueryDataHandler      = (*settingsErrorDatasource)(nil)
	_ backend.CheckHealthHandler    = (*settingsErrorDatasource)(nil)
	_ backend.CallResourceHandler   = (*settingsErrorDatasource)(nil)
	_ instancemgmt.InstanceDisposer = (*settingsErrorDatasource)(nil)
)

// settingsErrorDatasource is the instance for settings that cannot work. When the factory fails,
// Grafana answers the first query of a request with a bare status 500 and leaves the other queries
// without a word; this instance instead gives every query of every request, Save & test and every
// resource call the same message, as the user's to fix.
type settingsErrorDatasource struct {
	msg string
}

// newSettingsErrorDatasource keeps the settings error for every answer the instance gives. secure
// is the instance's DecryptedSecureJSONData: whatever produced err (LoadSettings redacts its own,
// auth0.New may not), no secure value reaches a panel, Save & test or a resource answer.
func newSettingsErrorDatasource(err error, secure map[string]string) *settingsErrorDatasource {
	values := make([]string, 0, len(secure))
	for _, v := range secure {
		values = append(values, v)
	}
	return &settingsErrorDatasource{msg: "The data source settings cannot work: " + models.NewRedactor(values...).Redact(err.Error()) +
		". Open the data source's settings, correct them and press Save & test."}
}

// QueryData answers each query with the settings error: status 400, downstream, since the
// settings are the user's.
func (d *settingsErrorDatasource) QueryData(_ context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		resp.Responses[q.RefID] = backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, d.msg)
	}
	return resp, nil
}

// CheckHealth shows the settings error where the admin is looking: under Save & test.
func (d *settingsErrorDatasource) CheckHealth(context.Context, *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: d.msg}, nil
}

// CallResource answers every editor helper with the settings error, as JSON with the "message"
// key Grafana's frontend shows.
func (d *settingsErrorDatasource) CallResource(_ context.Context, _ *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	body, err := json.Marshal(map[string]string{"message": d.msg, "error": d.msg})
	if err != nil {
		return err
	}
	return sender.Send(&backend.CallResourceResponse{
		Status:  http.StatusBadRequest,
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    body,
	})
}

// Dispose has nothing to release: the instance starts no goroutine and holds no connection.
func (d *settingsErrorDatasource) Dispose() {}
