package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgxlisten"
)

// channel is the tenant's NOTIFY channel. Tenant keys can be longer than an identifier's 63
// bytes and hold any character, so the channel is named by a hash of the schema and the key.
func (e *Engine) channel(tenant string) string {
	h := sha256.Sum256([]byte(e.schema + "\x00" + tenant))
	return "auth0logs_" + hex.EncodeToString(h[:12])
}

// listenRetry is how soon a listener reconnects after losing its connection.
const listenRetry = 5 * time.Second

// Listen returns a channel that receives a value after commits of new events for the tenant, so
// replicas without the lease learn of them without polling the table. Signals coalesce (the
// channel holds one), and one is also sent after every (re)connection, since notifications sent
// while disconnected are lost: a receiver should read the store's State on each. The listener
// holds a connection of its own and stops, closing the channel, when ctx ends or the engine
// closes.
func (e *Engine) Listen(ctx context.Context, tenant string) <-chan struct{} {
	out := make(chan struct{}, 1)
	if e.check() != nil {
		close(out)
		return out
	}
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(e.ctx, cancel)
	signal := func() {
		select {
		case out <- struct{}{}:
		default:
		}
	}
	l := &pgxlisten.Listener{
		Connect: func(ctx context.Context) (*pgx.Conn, error) {
			return pgx.ConnectConfig(ctx, e.connCfg.Copy())
		},
		LogError: func(_ context.Context, err error) {
			if ctx.Err() == nil {
				e.log.Warn("PostgreSQL store: listening for new events failed; retrying", "error", e.scrub.text(err.Error()))
			}
		},
		ReconnectDelay: listenRetry,
	}
	l.Handle(e.channel(tenant), notifyHandler(signal))
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		defer close(out)
		defer stop()
		defer cancel()
		_ = l.Listen(ctx)
	}()
	return out
}

// notifyHandler signals on every notification and after every (re)connection.
type notifyHandler func()

// HandleNotification signals a commit.
func (h notifyHandler) HandleNotification(context.Context, *pgconn.Notification, *pgx.Conn) error {
	h()
	return nil
}

// HandleBacklog signals a (re)connection, after which missed commits must be read.
func (h notifyHandler) HandleBacklog(context.Context, string, *pgx.Conn) error {
	h()
	return nil
}
