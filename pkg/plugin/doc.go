// Package plugin is the Grafana glue: the instance factory that turns settings into an Auth0 client,
// a fetcher and a query mux (built once per instance), one file per SDK handler, and the end-to-end
// tests that drive the plugin over gRPC. The data path itself lives in plan, fetch, aggregate and
// framer; this package only wires them and maps their errors onto Grafana's.
package plugin
