package tenant

import "time"

// Config describes the tenant to generate. The zero value is usable: every field has a default
// (see the field comments). Equal Configs with a non-zero End always give identical tenants.
type Config struct {
	// Seed selects the tenant: users, clients, IPs and every event follow from it.
	Seed int64
	// End is the exclusive end of the generated window; events fall in [End-Days*24h, End).
	// Zero means now, truncated to the minute (the only place Generate reads the clock).
	End time.Time
	// Days is the length of the window in days; default 7.
	Days int
	// EventsPerDay is the baseline volume of an ordinary weekday, before attacks; default 60000.
	// Weekends run about 12% lower and the hour of day shapes the rest.
	EventsPerDay int
	// Attacks are laid over the baseline traffic. nil means DefaultAttacks(End), so a bare Config
	// gives the demo tenant; pass an empty non-nil slice for a tenant with quiet days only.
	Attacks []Attack
	// Domain is the tenant host name written to every event's hostname; default
	// "demo.auth0logs.local".
	Domain string
}

// AttackKind names one attack pattern that Auth0's anomaly detection charts are built to reveal.
type AttackKind string

const (
	// CredentialStuffing is a surge of failed logins (fu, some fp) from thousands of IPs in
	// countries the tenant does not serve, mostly with user names that do not exist, and a rare
	// success on a real account.
	CredentialStuffing AttackKind = "credential_stuffing"
	// BruteForce is many wrong passwords (fp) against a few real accounts from a few IPs; every ten
	// failures of one IP on one account end in a blocked-account event (limit_wc).
	BruteForce AttackKind = "brute_force"
	// BreachedPassword is a wave of pwd_leak events: logins to real accounts with leaked passwords,
	// blocked by breached password detection.
	BreachedPassword AttackKind = "breached_password"
	// BlockedIP is a wave of limit_mu events: IPs blocked after failing logins on many accounts.
	BlockedIP AttackKind = "blocked_ip"
)

// Attack is one attack window. Its events are spread over [Start, Start+Duration); those that
// fall outside the generated window are dropped, so Events is an upper bound on what appears.
type Attack struct {
	Kind  AttackKind
	Start time.Time
	// Duration is how long the attack lasts; a non-positive value means one hour.
	Duration time.Duration
	// Events is how many attack events to generate; a non-positive value generates none.
	Events int
}

// DefaultAttacks is the demo's attack schedule relative to end: a large credential-stuffing surge
// on the second-to-last full UTC day before end, and on earlier days a brute force, a
// breached-password wave and a burst of blocked IPs, so each anomaly chart has something to show.
// All of it fits in a 7-day window ending at end.
func DefaultAttacks(end time.Time) []Attack {
	day := end.UTC().Truncate(24 * time.Hour) // the day containing end, which may be partial
	at := func(daysBack int, hour, minute int) time.Time {
		return day.Add(-time.Duration(daysBack)*24*time.Hour + time.Duration(hour)*time.Hour +
			time.Duration(minute)*time.Minute)
	}
	return []Attack{
		{Kind: CredentialStuffing, Start: at(2, 1, 40), Duration: 6 * time.Hour, Events: 40000},
		{Kind: BruteForce, Start: at(4, 13, 10), Duration: 100 * time.Minute, Events: 1100},
		{Kind: BreachedPassword, Start: at(3, 8, 0), Duration: 11 * time.Hour, Events: 420},
		{Kind: BlockedIP, Start: at(5, 19, 30), Duration: 3 * time.Hour, Events: 520},
	}
}

const (
	defaultDays         = 7
	defaultEventsPerDay = 60000
	defaultDomain       = "demo.auth0logs.local"
)

// withDefaults fills every zero field. It is the only place that may read the clock.
func (c Config) withDefaults() Config {
	if c.End.IsZero() {
		c.End = time.Now()
		c.End = c.End.Truncate(time.Minute)
	}
	c.End = c.End.UTC()
	if c.Days <= 0 {
		c.Days = defaultDays
	}
	if c.EventsPerDay <= 0 {
		c.EventsPerDay = defaultEventsPerDay
	}
	if c.Domain == "" {
		c.Domain = defaultDomain
	}
	if c.Attacks == nil {
		c.Attacks = DefaultAttacks(c.End)
	}
	return c
}

// start is the inclusive beginning of the generated window.
func (c Config) start() time.Time {
	return c.End.Add(-time.Duration(c.Days) * 24 * time.Hour)
}
