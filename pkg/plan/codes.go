package plan

import (
	"fmt"
	"slices"

	"github.com/seed/auth0logs-datasource/pkg/eventtypes"
	"github.com/seed/auth0logs-datasource/pkg/logquery"
)

// unknownCodeNotice is the one wording for an event code the catalog lacks, wherever the query
// names it: in the event-type filter or as type:zz in the query text.
func unknownCodeNotice(code string) string {
	return fmt.Sprintf("event type %q is not in the catalog; it is searched as written", code)
}

// noteUnknownCodes adds a notice for each exact type:code term of the query text whose code is not
// in the catalog, once per code, in the order written. Wildcards and ranges name no one code, so
// they are left alone.
func (p *Plan) noteUnknownCodes(n logquery.Node) {
	var seen []string
	var visit func(logquery.Node)
	visit = func(n logquery.Node) {
		switch n := n.(type) {
		case *logquery.TermNode:
			if n.Field == "type" && !eventtypes.Known(n.Value) && !slices.Contains(seen, n.Value) {
				seen = append(seen, n.Value)
				p.Notices = append(p.Notices, unknownCodeNotice(n.Value))
			}
		case *logquery.AndNode:
			for _, c := range n.Nodes {
				visit(c)
			}
		case *logquery.OrNode:
			for _, c := range n.Nodes {
				visit(c)
			}
		case *logquery.NotNode:
			visit(n.Node)
		}
	}
	if n != nil {
		visit(n)
	}
}
