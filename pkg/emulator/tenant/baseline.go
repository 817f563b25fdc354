package tenant

import (
	"github.com/seed/auth0logs-datasource/pkg/event"
)

// Descriptions Auth0 writes for the events the generator produces. Where Auth0 leaves the
// description empty, so do we.
const (
	descLogin        = "Successful login"
	descWrongCreds   = "Wrong email or password."
	descMissingUser  = "missing username parameter"
	descLoginReq     = "Login required"
	descCodeExchange = "Authorization Code for Access Token"
	descRefresh      = "Refresh Token for Access Token"
	descPassword     = "Password for Access Token"
	descBadCode      = "Invalid authorization code"
	descUnauthorized = "Unauthorized"
	descUserExists   = "The user already exists."
	descWeakPassword = "PasswordStrengthError: Password is too weak"
	descNoSuchUser   = "user does not exist"
	descPasswordUsed = "Password has previously been used"
	descBlockedUser  = "user is blocked"
	descLimitWc      = "Account blocked for this IP after too many failed login attempts"
	descLimitMu      = "IP address blocked after failed logins on too many accounts"
	descPwdLeak      = "Login blocked: the password is known to have been leaked"
)

// apiAudience is the tenant's own resource server that the apps request tokens for.
const (
	apiAudience = "https://api.acme.example/"
	userScope   = "openid profile email offline_access"
)

// fillBaseline writes one ordinary event. Machine events and failures without a known user are
// handled apart; everything else is about a user signing in from one of their devices.
func (g *gen) fillBaseline(e *event.Event, s stub) {
	switch s.kind {
	case kSeccft, kFeccft, kSapi, kDepnote, kAPILimitWarning:
		g.fillMachine(e, s.kind)
		return
	case kFu:
		g.fillUnknownUser(e)
		return
	case kFcpr:
		u := g.pop.pickUser(g.r, poolAll)
		g.withDevice(e, u.pickDevice(g.r))
		g.withConn(e, connDatabase)
		e.UserName, e.Description = g.fakeEmail(g.r), descNoSuchUser
		return
	case kLimitMu:
		ep := g.pop.ips.v4(g.r, attackCityPicker.pick(g.r))
		g.withEndpoint(e, ep, pickAgent(g.r, attackAgents), clientSPA)
		e.Description, e.Details = descLimitMu, g.blockDetails(ep.ip, 100+g.r.IntN(60), 12+g.r.IntN(40))
		return
	}
	u := g.pop.pickUser(g.r, kinds[s.kind].pool)
	d := u.pickDevice(g.r)
	g.withDevice(e, d)
	if browserOnly(s.kind) && (d.client == clientIOS || d.client == clientAndroid) {
		g.inBrowser(e, d)
	}
	e.UserID, e.UserName = u.ID, u.Email
	g.fillUserEvent(e, s, u, d)
}

func (g *gen) fillUserEvent(e *event.Event, s stub, u *user, d *device) {
	switch s.kind {
	case kS:
		g.withConn(e, u.conn)
		g.withOrg(e, u)
		e.Description, e.Details = descLogin, g.loginDetails(u, s.date)
	case kSsa:
		g.withConn(e, u.conn)
		g.withOrg(e, u)
		e.Details = g.sessionDetails()
	case kFsa:
		e.UserID, e.UserName = "", "" // no session, so no user
		e.Description, e.Details = descLoginReq, detailsLoginReq
	case kSeacft:
		e.Description, e.Audience, e.Scope, e.Details = descCodeExchange, apiAudience, userScope, g.codeDetails()
		g.withOrg(e, u)
	case kSertft:
		e.Description, e.Audience, e.Scope = descRefresh, apiAudience, userScope
	case kFeacft:
		e.Description, e.Details = descBadCode, detailsBadCode
	case kSepft:
		g.withConn(e, u.conn)
		e.Description, e.Audience, e.Scope = descPassword, apiAudience, userScope
	case kFp, kFepft, kFcoa:
		g.withConn(e, u.conn)
		e.Description, e.Details = descWrongCreds, detailsWrongCreds
	case kScoa, kSv, kScp, kScpr:
		g.withConn(e, u.conn)
	case kF:
		g.withConn(e, u.conn)
		e.Description = descBlockedUser
	case kSlo:
		e.Details = g.kv("return_to", returnTo(e.ClientName))
	case kSs:
		g.withConn(e, u.conn)
		e.Details = g.signupDetails(u, e.ClientID)
	case kFs:
		g.withConn(e, u.conn)
		e.UserID, e.Description = "", descUserExists
		if g.r.IntN(3) == 0 {
			e.UserName, e.Description = g.fakeEmail(g.r), descWeakPassword
		}
	case kFcp:
		g.withConn(e, u.conn)
		e.Description, e.Details = descPasswordUsed, detailsPasswordUsed
	case kCls:
		g.withConn(e, u.conn)
		e.Details = g.kv("email_type", "magic_link", "to", u.Email)
	case kFn:
		g.withConn(e, u.conn)
		e.Hostname, e.Description = "", "To: "+u.Email
		e.Details = g.kv("email_type", "verify_email", "error", "mailbox unavailable", "to", u.Email)
	case kGdStartAuth, kGdAuthSucceed, kGdAuthFailed, kGdSendSMS, kGdEnrollComplete:
		g.fillGuardian(e, s.kind)
	case kLimitWc:
		g.withConn(e, u.conn)
		e.Description, e.Details = descLimitWc, g.blockDetails(d.ep.ip, 10, 0)
	case kPwdLeak:
		g.withConn(e, u.conn)
		e.Description, e.Details = descPwdLeak, g.kv("ip", d.ep.ip, "action", "block")
	}
}

// fillGuardian writes the MFA (Guardian) events; they name the user but no connection.
func (g *gen) fillGuardian(e *event.Event, k kind) {
	e.ClientID, e.ClientName = "", ""
	switch k {
	case kGdStartAuth:
		e.Description, e.Details = "Second factor started.", detailsOTP
	case kGdAuthSucceed:
		e.Description, e.Details = "Second factor authentication succeeded (otp)", detailsOTP
	case kGdAuthFailed:
		e.Description, e.Details = "Wrong one-time password", detailsOTP
	case kGdSendSMS:
		e.Description, e.Details = "SMS sent to the enrolled phone number", detailsSMS
	case kGdEnrollComplete:
		e.Description, e.Details = "Enrollment completed (otp)", detailsOTP
	}
}

// fillUnknownUser is a baseline fu: mostly a user mistyping their email from their own device,
// sometimes a stray scripted attempt from abroad.
func (g *gen) fillUnknownUser(e *event.Event) {
	g.withConn(e, connDatabase)
	e.Description, e.Details = descWrongCreds, detailsWrongCreds
	if g.r.IntN(100) < 80 {
		u := g.pop.pickUser(g.r, poolDatabase)
		g.withDevice(e, u.pickDevice(g.r))
		e.UserName = g.typo(u.Email)
	} else {
		g.withEndpoint(e, g.pop.ips.v4(g.r, attackCityPicker.pick(g.r)), pickAgent(g.r, attackAgents), clientSPA)
		e.UserName = g.fakeEmail(g.r)
	}
	if g.r.IntN(100) < 4 {
		e.UserName, e.Description, e.Details = "", descMissingUser, detailsMissingUser
	}
}

// browserOnly are the flows that run in a browser session (silent auth, cross-origin login,
// magic links), so a phone app user appears in them through the phone's browser.
func browserOnly(k kind) bool {
	switch k {
	case kSsa, kFsa, kScoa, kFcoa, kCls:
		return true
	}
	return false
}

// inBrowser moves an event from a phone's app to the same phone's browser and the web shop.
func (g *gen) inBrowser(e *event.Event, d *device) {
	e.UserAgent = "Mobile Safari 17.5.0 / iOS 17.5.1"
	if d.client == clientAndroid {
		e.UserAgent = "Chrome Mobile 126.0.0 / Android 14.0.0"
	}
	c := &g.pop.clients[clientSPA]
	e.ClientID, e.ClientName = c.ID, c.Name
}

func (g *gen) withDevice(e *event.Event, d *device) {
	e.IP, e.Location, e.UserAgent, e.IsMobile = d.ep.ip, d.ep.loc, d.ua, d.mobile
	c := &g.pop.clients[d.client]
	e.ClientID, e.ClientName = c.ID, c.Name
}

func (g *gen) withEndpoint(e *event.Event, ep endpoint, a agent, client int) {
	e.IP, e.Location, e.UserAgent, e.IsMobile = ep.ip, ep.loc, a.ua, a.mobile
	c := &g.pop.clients[client]
	e.ClientID, e.ClientName = c.ID, c.Name
}

func (g *gen) withConn(e *event.Event, conn int) {
	c := &g.pop.conns[conn]
	e.Connection, e.ConnectionID, e.Strategy, e.StrategyType = c.name, c.id, c.strategy, c.strategyType
}

// withOrg marks the enterprise customer's users as members of its organization.
func (g *gen) withOrg(e *event.Event, u *user) {
	if u.conn == connSAML {
		e.OrganizationID, e.OrganizationName = g.pop.orgID, "globex"
	}
}

func returnTo(clientName string) string {
	switch clientName {
	case "Acme Customer Portal":
		return "https://portal.acme.example/"
	case "Acme iOS", "Acme Android":
		return "com.acme.app://logout"
	}
	return "https://shop.acme.example/"
}
