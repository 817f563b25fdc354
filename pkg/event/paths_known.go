package event

// PathDoc describes a field path worth offering in the editor: where it is found and what it holds.
type PathDoc struct {
	Path string `json:"path"`
	Doc  string `json:"doc"`
	// Kind is how its values compare: "string", "number" or "boolean".
	Kind string `json:"kind"`
}

// KnownPaths are the field paths the editor completes. Any other path inside details,
// security_context, location_info or auth0_client works too; these are the ones Auth0's own
// detections and incident guides read (the seeds' log detail examples, the recorded sapi events,
// the Management API's Log schema).
var KnownPaths = []PathDoc{
	{"details.request.method", "HTTP method of a Management API call (sapi, fapi)", "string"},
	{"details.request.path", "Management API path called, e.g. /api/v2/attack-protection/brute-force-protection", "string"},
	{"details.request.channel", "where a Management API call came from: api, or the dashboard's address", "string"},
	{"details.request.ip", "address the Management API call came from", "string"},
	{"details.request.auth.user.email", "dashboard admin who made the change", "string"},
	{"details.request.body.enabled", "the setting's new on/off state in a settings change", "boolean"},
	{"details.request.body.shields", "attack-protection responses in a settings change (block, user_notification...)", "string"},
	{"details.request.body.scope", "scopes in a client grant change", "string"},
	{"details.request.body.audience", "API a client grant is for", "string"},
	{"details.request.body.client_id", "application a client grant is for", "string"},
	{"details.response.statusCode", "HTTP status of a Management API call", "number"},
	{"details.riskAssessment.confidence", "overall risk of a login: low, medium, high or neutral", "string"},
	{"details.riskAssessment.assessments.UntrustedIP.confidence", "risk from the address's reputation", "string"},
	{"details.riskAssessment.assessments.NewDevice.confidence", "risk from a device not seen before", "string"},
	{"details.riskAssessment.assessments.ImpossibleTravel.confidence", "risk from a login too far from the last", "string"},
	{"details.error.message", "error message of a failed operation", "string"},
	{"details.stats.loginsCount", "the user's number of logins", "number"},
	{"details.elapsedTime", "milliseconds the login took", "number"},
	{"security_context.ja3", "TLS fingerprint (JA3) of the client", "string"},
	{"security_context.ja4", "TLS fingerprint (JA4) of the client", "string"},
	{"location_info.country_code", "country of the address (ISO 3166 two letters)", "string"},
	{"location_info.country_name", "country of the address", "string"},
	{"location_info.city_name", "city of the address", "string"},
	{"location_info.continent_code", "continent of the address", "string"},
	{"auth0_client.name", "Auth0 SDK that made the request", "string"},
	{"auth0_client.version", "version of that SDK", "string"},
	{"audience", "API the token was asked for", "string"},
	{"scope", "scopes asked for", "string"},
	{"isMobile", "whether the client is a mobile device", "boolean"},
	{"organization_name", "organization of the login", "string"},
	{EmailDomain, "domain of the e-mail address in user_name, lower-cased", "string"},
	{UserAgentFamily, "browser or client family of user_agent: Chrome, curl, python-requests...", "string"},
}
