package framer

import "github.com/grafana/grafana-plugin-sdk-go/data"

// Meta is what the query handler learns while running a query (the real Auth0 request, how many
// pages and events it cost, warnings such as a truncated result) and wants on every frame it
// returns, where the query inspector and the panel's notice icon show it.
type Meta struct {
	// ExecutedQueryString is the upstream request, shown in the query inspector.
	ExecutedQueryString string
	// Stats are numbers about the run (pages fetched, events scanned, cache hits).
	Stats []data.QueryStat
	// Notices are shown on the panel, e.g. "only the newest 1,000 events were counted".
	Notices []data.Notice
	// Custom is data-source specific metadata for the frontend.
	Custom any
}

// ApplyMeta adds m to every frame's meta without touching what the framer set: Type,
// TypeVersion and PreferredVisualization stay. ExecutedQueryString, Stats and Custom replace the
// frame's when m sets them; Notices are appended, so a notice the framer added is not lost.
func ApplyMeta(frames data.Frames, m Meta) {
	for _, f := range frames {
		if f == nil {
			continue
		}
		if f.Meta == nil {
			f.Meta = &data.FrameMeta{}
		}
		if m.ExecutedQueryString != "" {
			f.Meta.ExecutedQueryString = m.ExecutedQueryString
		}
		if m.Stats != nil {
			f.Meta.Stats = append([]data.QueryStat(nil), m.Stats...)
		}
		if len(m.Notices) > 0 {
			f.Meta.Notices = append(f.Meta.Notices, m.Notices...)
		}
		if m.Custom != nil {
			f.Meta.Custom = m.Custom
		}
	}
}
