package plugin

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pluginBinary is the built backend: the one `mage build:linux` wrote (scripts/test.sh passes its
// path), or a fresh build of ./pkg when run on its own.
func pluginBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("AUTH0LOGS_PLUGIN_BINARY"); p != "" {
		_, err := os.Stat(p)
		require.NoError(t, err, "AUTH0LOGS_PLUGIN_BINARY names a missing file: run mage build:linux first")
		return p
	}
	out := filepath.Join(t.TempDir(), "gpx_auth0logs_"+runtime.GOOS+"_"+runtime.GOARCH)
	cmd := exec.Command("go", "build", "-o", out, "..")
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Run(), "building the plugin binary")
	return out
}

// startBinary launches the plugin the way Grafana does: go-plugin's handshake over gRPC.
func startBinary(t *testing.T) (pluginv2.DiagnosticsClient, pluginv2.DataClient, pluginv2.ResourceClient) {
	t.Helper()
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{grpcplugin.ProtocolVersion: {
			"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
			"data":        &grpcplugin.DataGRPCPlugin{},
			"resource":    &grpcplugin.ResourceGRPCPlugin{},
		}},
		Cmd:              exec.Command(pluginBinary(t)),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.NewNullLogger(),
		StartTimeout:     time.Minute,
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	require.NoError(t, err, "go-plugin handshake with the binary")
	dispense := func(name string) any {
		raw, err := rpc.Dispense(name)
		require.NoError(t, err)
		return raw
	}
	return dispense("diagnostics").(pluginv2.DiagnosticsClient), dispense("data").(pluginv2.DataClient), dispense("resource").(pluginv2.ResourceClient)
}

func TestBuiltBinaryOverGRPC(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the plugin binary")
	}
	tn := newTestTenant(t, testTenantOptions{})
	diag, dataClient, res := startBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pctx := backend.ToProto().PluginContext(tn.pluginContext())

	health, err := diag.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pctx})
	require.NoError(t, err)
	assert.Equal(t, pluginv2.CheckHealthResponse_OK, health.Status, health.Message)
	assert.Contains(t, health.Message, "can read logs")

	q := backend.DataQuery{
		RefID: "A", QueryType: "count", Interval: time.Hour,
		TimeRange: backend.TimeRange{From: tn.end.Add(-24 * time.Hour), To: tn.end},
		JSON:      json.RawMessage(`{"queryType":"count","query":"type:\"fu\"","interval":"1h"}`),
	}
	resp, err := dataClient.QueryData(ctx, backend.ToProto().QueryDataRequest(&backend.QueryDataRequest{
		PluginContext: tn.pluginContext(), Queries: []backend.DataQuery{q},
	}))
	require.NoError(t, err)
	qdr, err := backend.FromProto().QueryDataResponse(resp)
	require.NoError(t, err)
	a := qdr.Responses["A"]
	require.NoError(t, a.Error)
	require.Len(t, a.Frames, 1)
	assert.Equal(t, tn.count(`type:"fu"`, q.TimeRange), sumField(t, a.Frames[0], "count"))

	stream, err := res.CallResource(ctx, &pluginv2.CallResourceRequest{PluginContext: pctx, Method: "GET", Path: "event-types", Url: "event-types"})
	require.NoError(t, err)
	msg, err := stream.Recv()
	require.NoError(t, err)
	assert.Equal(t, int32(200), msg.Code)
	assert.Contains(t, string(msg.Body), `"limit_wc"`)
}
