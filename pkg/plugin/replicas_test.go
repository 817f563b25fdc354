package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os/exec"
	"sync"
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

	"github.com/seed/auth0logs-datasource/pkg/emulator"
	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/store"
	"github.com/seed/auth0logs-datasource/pkg/store/postgres"
	"github.com/seed/auth0logs-datasource/pkg/store/postgres/pgtest"
)

// The replica tests run the built plugin binary several times over go-plugin's handshake, as
// several Grafana replicas would, against one throwaway PostgreSQL and one emulated tenant.

// replica is one plugin process.
type replica struct {
	client *goplugin.Client
	data   pluginv2.DataClient
	res    pluginv2.ResourceClient
	pid    int
}

func startReplica(t *testing.T, conn, leaseTTL string) *replica {
	t.Helper()
	cmd := exec.Command(pluginBinary(t))
	cmd.Env = []string{envStorePostgres + "=" + conn, envStoreLeaseTTL + "=" + leaseTTL}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion: grpcplugin.ProtocolVersion, MagicCookieKey: grpcplugin.MagicCookieKey, MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{grpcplugin.ProtocolVersion: {
			"resource": &grpcplugin.ResourceGRPCPlugin{}, "data": &grpcplugin.DataGRPCPlugin{},
		}},
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.NewNullLogger(),
		StartTimeout:     time.Minute,
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	require.NoError(t, err, "go-plugin handshake with the binary")
	res, err := rpc.Dispense("resource")
	require.NoError(t, err)
	data, err := rpc.Dispense("data")
	require.NoError(t, err)
	return &replica{client: client, res: res.(pluginv2.ResourceClient), data: data.(pluginv2.DataClient), pid: client.ReattachConfig().Pid}
}

// report is the process's store/status; the first call builds the instance, which starts (or
// queues for the lease) the tail.
func (p *replica) report(t *testing.T, s backend.DataSourceInstanceSettings) storeReport {
	t.Helper()
	rep, err := p.tryReport(s)
	require.NoError(t, err)
	return rep
}

// tryReport is report for a goroutine other than the test's: it returns errors instead of failing.
func (p *replica) tryReport(s backend.DataSourceInstanceSettings) (storeReport, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var rep storeReport
	stream, err := p.res.CallResource(ctx, &pluginv2.CallResourceRequest{PluginContext: backend.ToProto().PluginContext(pluginContextFor(s)),
		Method: "GET", Path: "store/status", Url: "store/status"})
	if err != nil {
		return rep, err
	}
	msg, err := stream.Recv()
	if err != nil {
		return rep, err
	}
	if msg.Code != 200 {
		return rep, fmt.Errorf("store/status answered %d: %s", msg.Code, msg.Body)
	}
	if err := json.Unmarshal(msg.Body, &rep); err != nil {
		return rep, err
	}
	if rep.Replicas == nil || rep.Status == nil {
		return rep, fmt.Errorf("the store report lacks the replicas or the status: %s", rep.Problem)
	}
	return rep, nil
}

// fleet is n replicas on one database and one emulated tenant.
type fleet struct {
	rt    *relTenant
	conn  string
	procs []*replica
	s     backend.DataSourceInstanceSettings
}

func newFleet(t *testing.T, srv *pgtest.Server, n int, leaseTTL string, o relOptions) *fleet {
	t.Helper()
	f := &fleet{rt: newRelTenant(t, o), conn: srv.ConnString(srv.NewDatabase(t))}
	f.s = f.rt.settings()
	var js map[string]any
	require.NoError(t, json.Unmarshal(f.s.JSONData, &js))
	// An hour between polls: once caught up, the tail asks Auth0 nothing more during the test.
	js["storeEnabled"], js["storePollSeconds"] = true, 3600
	f.s.JSONData, _ = json.Marshal(js)
	for range n {
		f.procs = append(f.procs, startReplica(t, f.conn, leaseTTL))
	}
	for _, p := range f.procs {
		p.report(t, f.s)
	}
	return f
}

// holder waits until one of the live processes holds the tail and returns it with its report.
func (f *fleet) holder(t *testing.T, live ...*replica) (*replica, storeReport) {
	t.Helper()
	var h *replica
	var rep storeReport
	waitFor(t, "a replica to hold the tail", func() bool {
		for _, p := range live {
			if r := p.report(t, f.s); r.Replicas.Lease.Holding {
				h, rep = p, r
				return true
			}
		}
		return false
	})
	return h, rep
}

// settle waits until the holder among live has caught up and finished the backfill.
func (f *fleet) settle(t *testing.T, live ...*replica) *replica {
	t.Helper()
	var done *replica
	waitFor(t, "the tail to catch up and finish the backfill", func() bool {
		h, rep := f.holder(t, live...)
		done = h
		return rep.Status != nil && rep.Status.CaughtUp && rep.Status.Backfill.Done
	})
	return done
}

// requireTruth checks that the shared store holds exactly the tenant's events, each once.
func (f *fleet) requireTruth(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	eng, err := postgres.Open(ctx, f.conn, postgres.Options{ReplicaID: "test-reader"})
	require.NoError(t, err)
	defer eng.Close()
	held := map[string]int{}
	err = eng.Scan(ctx, tenantKey(mustSettings(t, f.s)), store.ScanQuery{Selection: store.Selection{
		From: time.Unix(0, 0), To: time.Now().Add(time.Hour)}}, func(e *event.Event) error {
		held[e.LogID]++
		return nil
	})
	require.NoError(t, err)
	for _, e := range f.rt.events {
		require.Equal(t, 1, held[e.LogID], "event %s", e.LogID)
	}
	require.Len(t, held, len(f.rt.events), "the store holds events Auth0 never served")
}

func (f *fleet) requests() int { return len(f.rt.rec.apiArrivals()) }

func replicaTenant() relOptions {
	return relOptions{days: 2, perDay: 3000, rpm: 3000, now: realClock,
		rateLimit: emulator.RateLimit{Burst: 12, PerMinute: 3000}}
}

func TestReplicasShareOneTailAndOneStore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the plugin binary")
	}
	skipUnderRace(t)
	srv := pgtest.Start(t)
	run := func(n int) int {
		start := time.Now()
		f := newFleet(t, srv, n, "", replicaTenant())
		h := f.settle(t, f.procs...)
		got := f.requests()
		t.Logf("%d replicas: %d requests in %s", n, got, time.Since(start))
		for _, p := range f.procs {
			rep := p.report(t, f.s)
			if p == h {
				continue
			}
			assert.False(t, rep.Replicas.Lease.Holding, "two replicas hold the tail")
			assert.Contains(t, rep.sentence(time.Now()), "the tail runs on replica "+rep.Replicas.Holder)
			assert.Equal(t, len(f.rt.events), int(rep.Status.Events), "a replica without the tail answers from the shared store")
		}
		assert.Zero(t, f.rt.emu.Stats().TooManyRequests, "%d replicas drew 429s", n)
		f.requireTruth(t)
		for _, p := range f.procs {
			p.client.Kill()
		}
		return got
	}
	one := run(1)
	for _, n := range []int{2, 3} {
		got := run(n)
		slack := int(math.Ceil(0.02 * float64(one)))
		assert.InDelta(t, one, got, float64(slack), "%d replicas made %d Auth0 requests, one made %d", n, got, one)
	}
}

func TestReplicasShareTheRequestBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the plugin binary")
	}
	skipUnderRace(t)
	srv := pgtest.Start(t)
	// 120 a minute, and the emulated Auth0 allows exactly that: three replicas each reading on
	// demand at their own 120 would draw 429s within seconds.
	o := replicaTenant()
	o.rpm, o.rpq, o.rateLimit = 120, 12, emulator.RateLimit{Burst: 11, PerMinute: 120}
	f := newFleet(t, srv, 3, "", o)
	tr := backend.TimeRange{From: testEnd.Add(-48 * time.Hour), To: testEnd}
	var wg sync.WaitGroup
	for _, p := range f.procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			_, err := p.data.QueryData(ctx, backend.ToProto().QueryDataRequest(&backend.QueryDataRequest{
				PluginContext: pluginContextFor(f.s), Queries: []backend.DataQuery{{RefID: "A", TimeRange: tr, Interval: time.Hour,
					JSON: json.RawMessage(`{"queryType":"count","interval":"1h"}`)}}}))
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Zero(t, f.rt.emu.Stats().TooManyRequests, "the replicas together overspent the budget")
	assert.LessOrEqual(t, bucketExcess(f.rt.rec.apiArrivals(), o.rpm), 0.0, "the replicas together exceeded requests per minute")
	assert.Greater(t, f.rt.rec.searchRequests(), 3*o.rpq/2, "the on-demand reads did not run")
}

// takeover stops the lease holder with sig in the middle of a page (the signal lands while its
// checkpoint request is on its way to Auth0) and returns the holder, when it was stopped and its
// tail's stored-event count at that moment.
func (f *fleet) takeover(t *testing.T, sig syscall.Signal) (old *replica, at time.Time, stored int64) {
	t.Helper()
	old, _ = f.holder(t, f.procs...)
	waitFor(t, "the tail to store some events", func() bool {
		rep := old.report(t, f.s)
		return rep.Status.Events > 500
	})
	rep := old.report(t, f.s)
	require.True(t, rep.Replicas.Lease.Holding)
	require.False(t, rep.Status.CaughtUp && rep.Status.Backfill.Done, "the signal must land while the tail still reads")
	fired := make(chan error, 1)
	f.rt.rec.mu.Lock()
	next := f.rt.rec.searches + 2
	f.rt.rec.mu.Unlock()
	f.rt.rec.at(next, func() {
		// The holder's previous commit is done (one goroutine reads and commits), so what its
		// tail stored so far is final unless it writes again after the signal.
		r, err := old.tryReport(f.s)
		if err == nil {
			stored = r.Status.Live.EventsStored + r.Status.Backfill.EventsStored
			at = time.Now()
			err = syscall.Kill(old.pid, sig)
		}
		fired <- err
	})
	select {
	case err := <-fired:
		require.NoError(t, err)
	case <-time.After(2 * time.Minute):
		t.Fatal("the holder sent no further checkpoint request: the tail finished before the signal")
	}
	return old, at, stored
}

// others are the processes other than p.
func (f *fleet) others(p *replica) []*replica {
	var out []*replica
	for _, q := range f.procs {
		if q != p {
			out = append(out, q)
		}
	}
	return out
}

func TestReplicaKilledMidPageIsReplaced(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the plugin binary")
	}
	skipUnderRace(t)
	srv := pgtest.Start(t)
	f := newFleet(t, srv, 2, "3s", replicaTenant())
	old, at, _ := f.takeover(t, syscall.SIGKILL)
	next, _ := f.holder(t, f.others(old)...)
	assert.Less(t, time.Since(at), 30*time.Second, "the takeover took too long")
	f.settle(t, next)
	f.requireTruth(t)
}

func TestReplicaFrozenPastItsLeaseWritesNothingAfterResuming(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the plugin binary")
	}
	skipUnderRace(t)
	srv := pgtest.Start(t)
	f := newFleet(t, srv, 2, "3s", replicaTenant())
	old, at, stored := f.takeover(t, syscall.SIGSTOP)
	next, rep := f.holder(t, f.others(old)...)
	assert.Less(t, time.Since(at), 30*time.Second, "the takeover took too long")
	require.NoError(t, syscall.Kill(old.pid, syscall.SIGCONT))
	waitFor(t, "the resumed replica to learn it lost the lease", func() bool {
		r := old.report(t, f.s)
		return r.Replicas.Lease.Lost >= 1 && !r.Replicas.Lease.Holding
	})
	after := old.report(t, f.s)
	require.Equal(t, int64(1), after.Replicas.Lease.Terms, "the resumed replica took the lease again")
	assert.Equal(t, stored, after.Status.Live.EventsStored+after.Status.Backfill.EventsStored,
		"the resumed replica stored events after losing the lease")
	assert.Greater(t, rep.Replicas.Epoch, after.Replicas.Lease.Epoch, "the takeover did not raise the epoch")
	f.settle(t, next)
	f.requireTruth(t)
}
