package postgres

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"
)

func TestClassifyNeverRepeatsSecrets(t *testing.T) {
	const conn = "postgres://grafana:hunter2-secret@db.example:5432/logs"
	s := newScrubber(conn, "hunter2-secret")
	for _, err := range []error{
		fmt.Errorf("odd failure near %s", conn),
		fmt.Errorf("password hunter2-secret rejected"),
		&pgconn.PgError{Code: "XX000", Message: "internal error for hunter2-secret"},
		&pgconn.PgError{Code: "42501", Message: "permission denied: hunter2-secret"},
	} {
		got := s.classify("testing", err)
		require.NotContains(t, got.Error(), "hunter2-secret")
		require.NotContains(t, got.Error(), conn)
	}
	var e *Error
	require.ErrorAs(t, s.classify("testing", &pgconn.PgError{Code: "28P01"}), &e)
	require.Equal(t, ProblemAuth, e.Problem)
	require.ErrorIs(t, s.classify("testing", context.DeadlineExceeded), context.DeadlineExceeded)
	require.True(t, unreachable(s.classify("testing", context.DeadlineExceeded)))
	require.False(t, unreachable(s.classify("testing", context.Canceled)), "a cancelled caller is not an outage")
	require.False(t, unreachable(errors.New("plain")))
}
