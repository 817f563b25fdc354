// Package pgtest starts a throwaway PostgreSQL cluster for tests: initdb into a temporary
// directory, the server listening only on a unix socket inside it (so no port is ever shared or
// guessed), one fresh database per test, and everything removed on Stop. It runs the Debian
// package's binaries directly, never a system service, and as the unprivileged postgres user when
// the tests run as root, because PostgreSQL refuses to run as root. Missing binaries fail the test
// when CI=true and skip it otherwise, with the command that installs them. It knows nothing of
// the store's schema.
package pgtest
