package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/store"
	"github.com/seed/auth0logs-datasource/pkg/store/sqlite"
)

// storeProcess is the built binary started as Grafana starts it, with the plugin's grafana.ini
// section in its environment.
type storeProcess struct {
	client *goplugin.Client
	res    pluginv2.ResourceClient
}

func startStoreBinary(t *testing.T, storeDir string) *storeProcess {
	t.Helper()
	cmd := exec.Command(pluginBinary(t))
	cmd.Env = []string{envStorePath + "=" + storeDir}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion: grpcplugin.ProtocolVersion, MagicCookieKey: grpcplugin.MagicCookieKey, MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{grpcplugin.ProtocolVersion: {"resource": &grpcplugin.ResourceGRPCPlugin{}}},
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.NewNullLogger(),
		StartTimeout:     time.Minute,
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	require.NoError(t, err, "go-plugin handshake with the binary")
	raw, err := rpc.Dispense("resource")
	require.NoError(t, err)
	return &storeProcess{client: client, res: raw.(pluginv2.ResourceClient)}
}

// status asks the process for the store's status; the call also makes Grafana's instance, which
// starts the tail.
func (p *storeProcess) status(t *testing.T, settings backend.DataSourceInstanceSettings) storeReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pctx := backend.ToProto().PluginContext(pluginContextFor(settings))
	stream, err := p.res.CallResource(ctx, &pluginv2.CallResourceRequest{PluginContext: pctx, Method: "GET", Path: "store/status", Url: "store/status"})
	require.NoError(t, err)
	msg, err := stream.Recv()
	require.NoError(t, err)
	require.Equal(t, int32(200), msg.Code, string(msg.Body))
	var rep storeReport
	require.NoError(t, json.Unmarshal(msg.Body, &rep))
	return rep
}

// waitFor polls cond until it holds; the ceiling only keeps a broken build from hanging CI.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestKillDuringTailLosesNothingAndStoresNothingTwice kills the plugin process with SIGKILL while
// its tail is reading, starts it again on the same store, and checks that the store then holds
// exactly the tenant's events: none lost, none twice.
func TestKillDuringTailLosesNothingAndStoresNothingTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the plugin binary")
	}
	skipUnderRace(t)
	rt := newRelTenant(t, relOptions{days: 2, perDay: 3000, rpm: 900, now: realClock})
	s := rt.settings()
	var js map[string]any
	require.NoError(t, json.Unmarshal(s.JSONData, &js))
	js["storeEnabled"], js["storePollSeconds"] = true, 2
	s.JSONData, _ = json.Marshal(js)
	dir := t.TempDir()

	first := startStoreBinary(t, dir)
	waitFor(t, "the tail to store some events", func() bool {
		rep := first.status(t, s)
		return rep.Status != nil && rep.Status.Events > 500
	})
	rep := first.status(t, s)
	require.False(t, rep.Status.Backfill.Done && rep.Status.CaughtUp, "the kill must land while the tail still reads")
	pid := first.client.ReattachConfig().Pid
	require.NoError(t, syscall.Kill(pid, syscall.SIGKILL))
	waitFor(t, "the killed process to exit", func() bool { return first.client.Exited() })

	second := startStoreBinary(t, dir)
	waitFor(t, "the restarted tail to catch up", func() bool {
		rep := second.status(t, s)
		return rep.Status != nil && rep.Status.CaughtUp && rep.Status.Backfill.Done
	})
	second.client.Kill()

	eng, err := sqlite.Open(filepath.Join(dir, "store.db"), sqlite.Options{})
	require.NoError(t, err)
	defer eng.Close()
	held := map[string]int{}
	err = eng.Scan(context.Background(), tenantKey(mustSettings(t, s)), store.ScanQuery{Selection: store.Selection{
		From: time.Unix(0, 0), To: time.Now().Add(time.Hour)}}, func(e *event.Event) error {
		held[e.LogID]++
		return nil
	})
	require.NoError(t, err)
	for id, n := range held {
		require.Equal(t, 1, n, "event %s stored %d times", id, n)
	}
	missing := 0
	for _, e := range rt.events {
		if held[e.LogID] == 0 {
			missing++
		}
	}
	assert.Zero(t, missing, fmt.Sprintf("%d of %d events lost", missing, len(rt.events)))
	assert.Len(t, held, len(rt.events))
}

func mustSettings(t *testing.T, s backend.DataSourceInstanceSettings) models.Settings {
	t.Helper()
	m, err := models.LoadSettings(s)
	require.NoError(t, err)
	return m
}
