package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Problem classifies what stops the store from working, so Save & test can say which it is.
type Problem string

// The problems Open and the calls report; each Error's message says how to fix it.
const (
	ProblemConfig      Problem = "invalid connection string"
	ProblemUnreachable Problem = "database unreachable"
	ProblemAuth        Problem = "authentication failed"
	ProblemNoDatabase  Problem = "database does not exist"
	ProblemPermission  Problem = "permission denied"
	ProblemReadOnly    Problem = "read-only"
	ProblemSchema      Problem = "schema missing or too new"
	ProblemOther       Problem = "database error"
)

// Error is a store failure described for the admin: what is wrong and what to do. Its text never
// holds the connection string or its password, whatever the driver's error said.
type Error struct {
	Problem Problem
	// Msg says what went wrong and how to fix it.
	Msg string
	// Code is the SQLSTATE when the server answered, for the logs.
	Code string
	err  error
}

// Error prefixes the message with the component, so a log line says where it came from.
func (e *Error) Error() string { return "PostgreSQL store: " + e.Msg }

// Unwrap gives errors.Is access to context errors; the driver's own error is not exposed, because
// its text may name the host, the user or, from a parse error, the connection string.
func (e *Error) Unwrap() error {
	if errors.Is(e.err, context.Canceled) || errors.Is(e.err, context.DeadlineExceeded) {
		return e.err
	}
	return nil
}

// scrubber removes secrets from any text that is about to leave the package.
type scrubber []string

func newScrubber(connString, password string) scrubber {
	var s scrubber
	for _, v := range []string{connString, password} {
		if len(v) >= 3 {
			s = append(s, v)
		}
	}
	return s
}

func (s scrubber) text(msg string) string {
	for _, v := range s {
		msg = strings.ReplaceAll(msg, v, "[redacted]")
	}
	return msg
}

// classify turns a driver error into an Error; doing names the operation for the message.
func (s scrubber) classify(doing string, err error) error {
	if err == nil {
		return nil
	}
	var own *Error
	if errors.As(err, &own) {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return &Error{Problem: ProblemOther, err: err, Msg: doing + ": cancelled"}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Problem: ProblemUnreachable, err: err,
			Msg: doing + ": no answer from PostgreSQL before the deadline; check that the server is up and reachable from Grafana, or that it is not overloaded"}
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return s.classifyServer(doing, pg)
	}
	var perr *pgconn.ParseConfigError
	if errors.As(err, &perr) {
		return &Error{Problem: ProblemConfig, err: err,
			Msg: "the connection string cannot be read (" + s.text(innerText(perr)) + "); write it as postgres://user:password@host:5432/database?sslmode=require or as key=value pairs (host=... user=... dbname=...)"}
	}
	var nerr net.Error
	if errors.As(err, &nerr) || isConnectError(err) {
		return &Error{Problem: ProblemUnreachable, err: err,
			Msg: doing + ": cannot connect to PostgreSQL; check the host and port in the connection string, that the server is running and accepts connections from Grafana (listen_addresses, pg_hba.conf, firewalls)"}
	}
	return &Error{Problem: ProblemOther, err: err, Msg: doing + ": " + s.text(err.Error())}
}

func isConnectError(err error) bool {
	var ce *pgconn.ConnectError
	return errors.As(err, &ce)
}

// innerText is a parse error's reason without the connection string pgx quotes in front of it.
func innerText(perr *pgconn.ParseConfigError) string {
	if inner := errors.Unwrap(perr); inner != nil {
		return inner.Error()
	}
	return "unreadable"
}

// classifyServer reads the SQLSTATE; the server's own message is left out where it names the user.
func (s scrubber) classifyServer(doing string, pg *pgconn.PgError) error {
	e := &Error{Code: pg.Code, err: pg}
	switch {
	case pg.Code == "28P01" || pg.Code == "28000":
		e.Problem = ProblemAuth
		e.Msg = doing + ": PostgreSQL rejected the user name or password (SQLSTATE " + pg.Code + "); check the credentials in the connection string and the server's pg_hba.conf"
	case pg.Code == "3D000":
		e.Problem = ProblemNoDatabase
		e.Msg = doing + ": the database named in the connection string does not exist; create it (CREATE DATABASE ...) or fix the name"
	case pg.Code == "25006":
		e.Problem = ProblemReadOnly
		e.Msg = doing + ": the server or this user's sessions are read-only (a standby, or default_transaction_read_only); point the connection string at the primary and give the user a writable default"
	case pg.Code == "42501":
		e.Problem = ProblemPermission
		e.Msg = doing + ": permission denied (" + s.text(pg.Message) + "); let the user create the store's schema (GRANT CREATE ON DATABASE ... TO the user), or create the schema once as its owner and grant the user SELECT, INSERT, UPDATE, DELETE on its tables"
	case pg.Code == "3F000" || pg.Code == "42P01":
		e.Problem = ProblemSchema
		e.Msg = doing + ": the store's schema or a table is missing (" + s.text(pg.Message) + "); reopen the store with a user that may create it, so the migrations run"
	case strings.HasPrefix(pg.Code, "08") || pg.Code == "57P01" || pg.Code == "57P03":
		e.Problem = ProblemUnreachable
		e.Msg = doing + ": the connection to PostgreSQL failed or the server is shutting down (SQLSTATE " + pg.Code + "); check that the server is up"
	default:
		e.Problem = ProblemOther
		e.Msg = fmt.Sprintf("%s: %s (SQLSTATE %s)", doing, s.text(pg.Message), pg.Code)
	}
	return e
}

// unreachable reports whether err means the server could not be asked at all, as opposed to an
// answer that refused something; only then may the budget fall back to a local share.
func unreachable(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Problem == ProblemUnreachable
	}
	return false
}
