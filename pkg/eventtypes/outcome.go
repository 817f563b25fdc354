package eventtypes

// Outcome says how an event ended for whoever caused it. It exists so panels and Explore can colour
// and count events by result without knowing every code.
type Outcome string

// The outcomes. The rule that assigns them is in the package documentation.
const (
	OutcomeSuccess Outcome = "success"
	OutcomeFailure Outcome = "failure"
	OutcomeWarning Outcome = "warning"
	OutcomeInfo    Outcome = "info"
)

// Outcomes lists every outcome, in the order a legend shows them.
var Outcomes = []Outcome{OutcomeSuccess, OutcomeFailure, OutcomeWarning, OutcomeInfo}

// Valid reports whether o is one of the four outcomes; the zero value is not.
func (o Outcome) Valid() bool {
	switch o {
	case OutcomeSuccess, OutcomeFailure, OutcomeWarning, OutcomeInfo:
		return true
	}
	return false
}

// LogLevel returns the word Grafana's logs view reads from a "level" field, so a failure shows red
// and a routine success does not drown it out. An invalid outcome is treated like info ("debug").
func (o Outcome) LogLevel() string {
	switch o {
	case OutcomeSuccess:
		return "info"
	case OutcomeFailure:
		return "error"
	case OutcomeWarning:
		return "warning"
	default:
		return "debug"
	}
}
