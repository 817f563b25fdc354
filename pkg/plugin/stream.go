package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/seed/auth0logs-datasource/pkg/event"
	"github.com/seed/auth0logs-datasource/pkg/framer"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
	"github.com/seed/auth0logs-datasource/pkg/models"
	"github.com/seed/auth0logs-datasource/pkg/plan"
	"github.com/seed/auth0logs-datasource/pkg/store"
)

// Live tail in Explore. A stream never asks Auth0 anything: it reads what the tenant's store tail
// has committed. Without the store a stream would have to search Auth0 every few seconds per
// viewer, out of the same 100 requests a minute the dashboards and alert rules live on, so with the
// store off a subscription is refused with a message saying what to turn on.

// streamPathPrefix starts every live tail channel path; the rest is a hash of the query, chosen
// by the frontend, so each distinct query is its own stream and equal queries share one.
const streamPathPrefix = "tail/"

// streamPoll is how often a stream looks at the store when no commit of this process's tail woke
// it: the tail may run in another replica (PostgreSQL). Looking costs one indexed read of the
// tenant's segments; events are scanned only when the checkpoint moved.
var streamPoll = time.Second

// streamLookBack is how far before the previous checkpoint's ingest second a scan reaches for
// events' dates: Auth0 writes an event's log_id a few seconds after its date, so an event
// committed after the checkpoint always has a date later than this.
const streamLookBack = 10 * time.Minute

// streamChunk caps the events of one frame, so a tail catching up after an outage sends several
// frames rather than one that Grafana Live would refuse for its size.
const streamChunk = 500

var errLiveNeedsStore = errors.New("live tail needs the tenant log store: it streams the events the store's tail reads, " +
	"at no Auth0 request of its own. Turn on \"Tenant log store\" in the data source settings and save; " +
	"until then press Run query to refresh")

// SubscribeStream accepts a live tail of a logs query when the data source has the store in use.
func (d *Datasource) SubscribeStream(_ context.Context, req *backend.SubscribeStreamRequest) (*backend.SubscribeStreamResponse, error) {
	if !strings.HasPrefix(req.Path, streamPathPrefix) || len(req.Path) == len(streamPathPrefix) {
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusNotFound}, nil
	}
	if d.store.tenant == nil {
		if d.store.err != nil {
			return nil, backend.DownstreamError(fmt.Errorf("%w. The store is on but cannot be used: %v", errLiveNeedsStore, d.store.err))
		}
		return nil, backend.DownstreamError(errLiveNeedsStore)
	}
	if _, err := streamPlan(req.Data); err != nil {
		return nil, backend.DownstreamError(err)
	}
	return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusOK}, nil
}

// PublishStream refuses: viewers read the tail, they never write to it.
func (d *Datasource) PublishStream(context.Context, *backend.PublishStreamRequest) (*backend.PublishStreamResponse, error) {
	return &backend.PublishStreamResponse{Status: backend.PublishStreamStatusPermissionDenied}, nil
}

// RunStream sends each event committed after the stream started that matches the query, once, and
// returns when Grafana cancels ctx (the last viewer left) or the instance is disposed.
func (d *Datasource) RunStream(ctx context.Context, req *backend.RunStreamRequest, sender *backend.StreamSender) error {
	return d.runStream(ctx, req, sender, nil)
}

// runStream is RunStream with ready called once the stream has its starting checkpoint: events
// committed from then on are the stream's, which a test must know before it makes any readable.
func (d *Datasource) runStream(ctx context.Context, req *backend.RunStreamRequest, sender *backend.StreamSender, ready func()) error {
	if d.store.tenant == nil {
		return backend.DownstreamError(errLiveNeedsStore)
	}
	p, err := streamPlan(req.Data)
	if err != nil {
		return backend.DownstreamError(err)
	}
	f := &follower{tenant: d.store.tenant.Engine, key: d.store.tenant.Key, filter: p.Filter, keep: p.PluginMatcher,
		opts: framer.Options{RefID: streamRefID(req.Data), DatasourceUID: d.uid, DatasourceName: d.name}}
	if f.last, err = f.checkpoint(ctx); err != nil {
		return err
	}
	if ready != nil {
		ready()
	}
	tick := time.NewTicker(streamPoll)
	defer tick.Stop()
	for {
		// The tail's commits wake the stream at once; the ticker covers a tail another replica runs.
		var committed <-chan struct{}
		if d.store.handle != nil {
			committed = d.store.handle.Tail().Committed()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-committed:
		}
		if err := f.step(ctx, sender); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

// streamPlan is the query planned as a logs query: its Filter is what the store selects, its
// PluginMatcher what the plugin then keeps.
func streamPlan(raw []byte) (plan.Plan, error) {
	if len(raw) == 0 {
		return plan.Plan{}, nil
	}
	q, err := models.ParseQuery(raw, string(models.QueryTypeLogs))
	if err != nil {
		return plan.Plan{}, err
	}
	q.QueryType = models.QueryTypeLogs
	now := time.Now()
	return plan.Build(q, plan.Input{From: now.Add(-time.Hour), To: now, Interval: time.Minute})
}

// streamRefID is the refId of the query the stream tails, so Explore matches its frames to it.
func streamRefID(raw []byte) string {
	var q struct {
		RefID string `json:"refId"`
	}
	if json.Unmarshal(raw, &q) != nil || q.RefID == "" {
		return "A"
	}
	return q.RefID
}

// follower is one stream's reading position: the store checkpoint up to which it has sent.
type follower struct {
	tenant store.Engine
	key    string
	filter logquery.Node
	// keep is the plan's plugin filter (field paths); nil keeps every event filter selects.
	keep *logquery.Matcher
	opts framer.Options
	last string
}

func (f *follower) checkpoint(ctx context.Context) (string, error) {
	st, err := f.tenant.State(ctx, f.key)
	if err != nil {
		return "", fmt.Errorf("live tail cannot read the tenant log store: %w", err)
	}
	return st.Checkpoint(), nil
}

// step sends the matching events with a log_id in (last, checkpoint]: exactly what the tail
// committed since the previous step, since the store holds every event of a stretch it extends.
// Backfill commits older ids and never moves the checkpoint, so history is not replayed.
func (f *follower) step(ctx context.Context, sender *backend.StreamSender) error {
	cur, err := f.checkpoint(ctx)
	if err != nil || cur <= f.last {
		// A store emptied (rebuilt) has a lower checkpoint; the stream waits until it passes last.
		return err
	}
	events, err := f.read(ctx, cur)
	if err != nil {
		return err
	}
	for len(events) > 0 {
		n := min(len(events), streamChunk)
		frame := framer.Logs(events[:n], f.opts)
		if err := sender.SendFrame(frame, data.IncludeAll); err != nil {
			return fmt.Errorf("live tail cannot send to Grafana: %w", err)
		}
		events = events[n:]
	}
	f.last = cur
	return nil
}

func (f *follower) read(ctx context.Context, cur string) ([]event.Event, error) {
	sel := store.Selection{Filter: logquery.And(f.filter, idRange(f.last, cur))}
	if t, ok := store.LogIDTime(f.last); ok {
		sel.From = t.Add(-streamLookBack)
	}
	var out []event.Event
	err := f.tenant.Scan(ctx, f.key, store.ScanQuery{Selection: sel}, func(e *event.Event) error {
		if f.keep.Match(e) {
			out = append(out, *e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("live tail cannot read the tenant log store: %w", err)
	}
	return out, nil
}

// idRange is log_id in (after, upTo]; after "" leaves the lower end open.
func idRange(after, upTo string) logquery.Node {
	from := logquery.Bound{Value: after}
	if after == "" {
		from.Open = true
	}
	return &logquery.RangeNode{Field: "log_id", From: from, To: logquery.Bound{Value: upTo, Inclusive: true}}
}
