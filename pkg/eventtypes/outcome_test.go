package eventtypes

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOutcomeLogLevel(t *testing.T) {
	for o, want := range map[Outcome]string{
		OutcomeSuccess: "info", OutcomeFailure: "error", OutcomeWarning: "warning", OutcomeInfo: "debug", "": "debug",
	} {
		assert.Equal(t, want, o.LogLevel(), string(o))
	}
	assert.False(t, Outcome("").Valid())
	assert.False(t, Outcome("error").Valid())
	for _, o := range Outcomes {
		assert.True(t, o.Valid(), string(o))
	}
}

// The outcome rule from doc.go, checked where the name alone decides it.
func TestOutcomeFollowsName(t *testing.T) {
	for _, et := range All() {
		name := strings.ToLower(et.Name)
		switch {
		case strings.HasPrefix(name, "failed") || strings.HasPrefix(name, "blocked") ||
			strings.HasPrefix(name, "error") || strings.Contains(name, " failed"):
			assert.Equal(t, OutcomeFailure, et.Outcome, "%s %q", et.Code, et.Name)
		case strings.HasPrefix(name, "success"):
			assert.Equal(t, OutcomeSuccess, et.Outcome, "%s %q", et.Code, et.Name)
		case strings.HasPrefix(name, "warning"):
			assert.Equal(t, OutcomeWarning, et.Outcome, "%s %q", et.Code, et.Name)
		}
	}
}

func TestOutcomeDecisions(t *testing.T) {
	for code, want := range map[string]Outcome{
		"s": OutcomeSuccess, "fp": OutcomeFailure, "limit_wc": OutcomeFailure, "limit_mu": OutcomeFailure,
		"limit_sul": OutcomeFailure, "api_limit": OutcomeFailure, "api_limit_warning": OutcomeWarning,
		"pwd_leak": OutcomeWarning, "depnote": OutcomeWarning, "mfar": OutcomeInfo, "pla": OutcomeInfo,
		"gd_auth_rejected": OutcomeFailure, "fdecc": OutcomeFailure, "cls": OutcomeSuccess,
	} {
		assert.Equal(t, want, Lookup(code).Outcome, code)
	}
}
