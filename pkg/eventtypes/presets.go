package eventtypes

// Seed documents the presets are taken from. Tests parse these files and compare, so a preset
// cannot quietly differ from its guide.
const (
	sourceAnomalyGuide  = "anomaly-detection-events.md"
	sourceIncidentGuide = "incident-response-using-logs.md"
)

// presetList holds the code lists Auth0's monitoring guides recommend, in each guide's order.
// The anomaly guide's failure table also lists "ip"; that is a log field, not an event type, so it
// is left out here (a query can group by ip instead).
var presetList = []Preset{
	{
		ID:          "traffic-failure-trends",
		Name:        "Traffic failure trends",
		Description: "Failure events to chart as a daily histogram; a sudden surge (of fu above all) suggests credential stuffing.",
		Codes:       []string{"f", "fcoa", "feccft", "fepft", "fsa", "fu", "sepft"},
		Source:      sourceAnomalyGuide,
	},
	{
		ID:          "login-flow",
		Name:        "Rate of errors in login flow",
		Description: "Successful logins next to wrong-username and wrong-password failures; watch for an unusual error rate.",
		Codes:       []string{"s", "fu", "fp"},
		Source:      sourceAnomalyGuide,
	},
	{
		ID:          "anomaly-detection",
		Name:        "Rate of anomaly detection events",
		Description: "Blocked IPs, blocked accounts and breached passwords; unusually high counts point to an attack.",
		Codes:       []string{"limit_mu", "limit_wc", "pwd_leak"},
		Source:      sourceAnomalyGuide,
	},
	{
		ID:          "incident-response",
		Name:        "Incident response indicators",
		Description: "Unknown-user failures, accounts hitting the failed-login limit, leaked-password logins, successful logins to check by IP, and Management API writes to review.",
		Codes:       []string{"fu", "limit_wc", "pwd_leak", "s", "sapi"},
		Source:      sourceIncidentGuide,
	},
}
