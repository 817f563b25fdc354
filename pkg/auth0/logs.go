package auth0

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Auth0's paging limits for log search.
const (
	// MaxPerPage is the most logs one search or checkpoint request returns.
	MaxPerPage = 100
	// MaxSearchResults is how deep search paging reaches; past it Auth0 answers 400.
	MaxSearchResults = 1000
	// defaultPerPage is what Auth0 uses when per_page is not sent.
	defaultPerPage = 50
)

// SearchParams are the search-mode parameters of GET /api/v2/logs. Zero values are not sent, so
// Auth0's defaults apply (PerPage 0 means Auth0's 50).
type SearchParams struct {
	// Q is a query in Auth0's log search syntax, e.g. `type:"f" AND date:[2024-01-01 TO *]`.
	Q string
	// Page is 0-based.
	Page, PerPage int
	// Sort is "field:1" (ascending) or "field:-1" (descending), e.g. "date:-1".
	Sort   string
	Fields []string
	// IncludeFields says whether Fields lists the fields to keep (true) or to drop (false).
	IncludeFields *bool
	// IncludeTotals asks for the deprecated wrapped form; its total is only the page length.
	IncludeTotals bool
}

var (
	sortRe  = regexp.MustCompile(`^[a-z_]+:(1|-1)$`)
	fieldRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*$`)
)

// SearchLogs runs one search request. Parameters Auth0 would refuse (per_page over 100, a page
// past the first 1,000 results, a malformed sort) fail before any request is made.
func (c *Client) SearchLogs(ctx context.Context, p SearchParams) ([]event.Event, error) {
	q := url.Values{}
	if err := pagingParams(q, p.Page, p.PerPage); err != nil {
		return nil, err
	}
	if p.Q != "" {
		q.Set("q", p.Q)
	}
	if err := sortParam(q, p.Sort); err != nil {
		return nil, err
	}
	if len(p.Fields) > 0 {
		for _, f := range p.Fields {
			if !fieldRe.MatchString(f) {
				return nil, paramError("field name %q is not valid: use Auth0 log field names such as date or type", f)
			}
		}
		q.Set("fields", strings.Join(p.Fields, ","))
	}
	if p.IncludeFields != nil {
		q.Set("include_fields", strconv.FormatBool(*p.IncludeFields))
	}
	if p.IncludeTotals {
		q.Set("include_totals", "true")
	}
	body, _, err := c.get(ctx, c.endpoint("/api/v2/logs", q))
	if err != nil {
		return nil, err
	}
	return c.decodeList(body)
}

// CheckpointLogs returns up to take logs with a log_id after from, in ascending log_id order.
// Auth0 ignores every search parameter in this mode, so filtering is the caller's job. next is
// the from of the following call: Auth0's Link rel="next" when sent, else the last log_id, else
// from itself (nothing new yet). take 0 means Auth0's default of 50.
func (c *Client) CheckpointLogs(ctx context.Context, from string, take int) ([]event.Event, string, error) {
	if take < 0 || take > MaxPerPage {
		return nil, "", paramError("take is %d but Auth0 returns 1 to %d logs per checkpoint request", take, MaxPerPage)
	}
	q := url.Values{}
	if from != "" {
		q.Set("from", from)
	}
	if take > 0 {
		q.Set("take", strconv.Itoa(take))
	}
	body, hdr, err := c.get(ctx, c.endpoint("/api/v2/logs", q))
	if err != nil {
		return nil, "", err
	}
	events, err := c.decodeList(body)
	if err != nil {
		return nil, "", err
	}
	next := from
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].LogID != "" { // skip unreadable placeholders
			next = events[i].LogID
			break
		}
	}
	if link := nextLink(hdr.Values("Link")); link != "" {
		if u, err := url.Parse(link); err == nil && u.Query().Get("from") != "" {
			next = u.Query().Get("from")
		}
	}
	return events, next, nil
}

// GetLog reads one log by its log_id.
func (c *Client) GetLog(ctx context.Context, id string) (event.Event, error) {
	if id == "" {
		return event.Event{}, paramError("a log id is needed to read one log")
	}
	body, _, err := c.get(ctx, c.endpoint("/api/v2/logs/"+url.PathEscape(id), nil))
	if err != nil {
		return event.Event{}, err
	}
	var ev event.Event
	if err := json.Unmarshal(body, &ev); err != nil {
		return event.Event{}, c.scrub(&Error{op: opDecode, Status: 200, Downstream: true,
			Message: "Auth0 returned a log that cannot be read: " + err.Error()})
	}
	return ev, nil
}

// UserLogs reads one user's logs. The endpoint takes no query; the same 100-per-page and 1,000
// result limits apply.
func (c *Client) UserLogs(ctx context.Context, userID string, page, perPage int, sort string) ([]event.Event, error) {
	if userID == "" {
		return nil, paramError("a user id is needed to read a user's logs")
	}
	q := url.Values{}
	if err := pagingParams(q, page, perPage); err != nil {
		return nil, err
	}
	if err := sortParam(q, sort); err != nil {
		return nil, err
	}
	body, _, err := c.get(ctx, c.endpoint("/api/v2/users/"+url.PathEscape(userID)+"/logs", q))
	if err != nil {
		return nil, err
	}
	return c.decodeList(body)
}

func (c *Client) endpoint(path string, q url.Values) string {
	if len(q) == 0 {
		return c.base + path
	}
	return c.base + path + "?" + q.Encode()
}

// pagingParams checks page and per_page against Auth0's limits before anything is sent.
func pagingParams(q url.Values, page, perPage int) error {
	if perPage < 0 || perPage > MaxPerPage {
		return paramError("per_page is %d but Auth0 returns 1 to %d logs per request", perPage, MaxPerPage)
	}
	if page < 0 {
		return paramError("page is %d but Auth0 pages start at 0", page)
	}
	size := perPage
	if size == 0 {
		size = defaultPerPage
	}
	if page*size+size > MaxSearchResults {
		return paramError("page %d of %d logs reaches past result %d, but Auth0 search returns only the first %s results: narrow the time range so fewer logs match",
			page, size, page*size+size, "1,000")
	}
	if page > 0 {
		q.Set("page", strconv.Itoa(page))
	}
	if perPage > 0 {
		q.Set("per_page", strconv.Itoa(perPage))
	}
	return nil
}

func sortParam(q url.Values, sort string) error {
	if sort == "" {
		return nil
	}
	if !sortRe.MatchString(sort) {
		return paramError("sort %q is not valid: use field:1 or field:-1, e.g. date:-1", sort)
	}
	q.Set("sort", sort)
	return nil
}

// decodeList reads a page. An element that is not a log object does not fail the page (a
// checkpoint reader would otherwise be stuck on it for good): it becomes an Unreadable placeholder,
// so the page keeps its length and a reader paging by length does not take a full page for the
// last one, and can say how many events it could not count.
func (c *Client) decodeList(body []byte) ([]event.Event, error) {
	events, err := event.DecodeList(body)
	if err != nil && events != nil {
		c.log.Warn("Auth0 log page has unusable elements; they are not counted", "error", c.scrubText(err.Error()))
		var items []json.RawMessage
		if json.Unmarshal(body, &items) == nil {
			for len(events) < len(items) {
				events = append(events, event.Event{})
			}
		}
		return events, nil
	}
	if err != nil {
		return nil, c.scrub(&Error{op: opDecode, Status: 200, Downstream: true,
			Message: "Auth0 returned a log page that cannot be read: " + err.Error()})
	}
	return events, nil
}

// nextLink finds the rel="next" target among Link header values such as
// `<https://t.auth0.com/api/v2/logs?from=9&take=100>; rel="next"`.
func nextLink(values []string) string {
	for _, v := range values {
		for v != "" {
			start := strings.IndexByte(v, '<')
			end := strings.IndexByte(v, '>')
			if start < 0 || end < start {
				break
			}
			target := v[start+1 : end]
			rest := v[end+1:]
			params := rest
			if i := strings.IndexByte(rest, '<'); i >= 0 {
				params = rest[:i]
			}
			for _, p := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(strings.TrimRight(strings.TrimSpace(p), ",")), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "rel") {
					for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(val), `"`)) {
						if strings.EqualFold(rel, "next") {
							return target
						}
					}
				}
			}
			v = rest
		}
	}
	return ""
}
