package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// shutdownGrace bounds how long in-flight requests may finish once ctx ends.
const shutdownGrace = 5 * time.Second

// ListenAndServe serves the tenant on addr (use "127.0.0.1:0" for a free port) until ctx ends. It
// returns once listening, with the base URL to give a client and a channel that yields the serve
// error (nil after a clean shutdown) and is then closed.
func (s *Server) ListenAndServe(ctx context.Context, addr string) (baseURL string, done <-chan error, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("emulator: listen on %s: %w (pick a free address, or port 0)", addr, err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	out := make(chan error, 1)
	go func() {
		defer close(out)
		select {
		case err := <-served:
			out <- err
		case <-ctx.Done():
			out <- shutdown(srv, served)
		}
	}()
	return "http://" + ln.Addr().String(), out, nil
}

func shutdown(srv *http.Server, served <-chan error) error {
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		err = errors.Join(err, srv.Close())
	}
	if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}
