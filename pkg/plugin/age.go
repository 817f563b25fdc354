package plugin

import (
	"fmt"
	"time"

	"github.com/seed/auth0logs-datasource/pkg/models"
)

// humanAge says how long ago something happened as a person would ("just now", "3 minutes ago",
// "181 days ago") rather than as a Duration prints it ("4353h56m1s"): Save & test shows it to
// someone judging whether the tenant's logs are fresh, for whom a day is the unit that matters.
// A time ahead of this server's clock says so, since that points at a clock to fix.
func humanAge(d time.Duration) string {
	if d < -time.Minute {
		return "dated " + amount(-d) + " ahead of this server's clock (check the server's time)"
	}
	if d < time.Minute {
		return "just now"
	}
	return amount(d) + " ago"
}

// amount is d, at least a minute, in its largest whole unit: minutes below an hour, hours below a
// day, then days. Rounding down keeps "23 hours" from reading as "1 day".
func amount(d time.Duration) string {
	switch {
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/(24*time.Hour)), "day")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// routeNote is the sentence Save & test adds when requests do not go to https://<domain>: an API
// base URL over plain http or to loopback is right for the emulator and wrong for a real tenant,
// so the admin sees which one is in use. It is empty for a tenant reached directly.
func routeNote(s models.Settings) string {
	if !s.LocalBaseURL() {
		return ""
	}
	return fmt.Sprintf(" Using the API base URL %s instead of https://%s: right for the emulator or a local proxy, not for a real tenant (clear the API base URL for that).", s.APIBaseURL, s.Domain)
}
