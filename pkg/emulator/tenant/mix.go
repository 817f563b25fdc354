package tenant

import (
	"math/rand/v2"
	"slices"
)

// kind is an event type the generator can produce; kinds[k].code is its Auth0 type code.
type kind uint8

const (
	kS kind = iota
	kSeacft
	kSertft
	kSsa
	kFsa
	kSeccft
	kFeccft
	kSepft
	kFepft
	kSlo
	kScoa
	kFcoa
	kFp
	kFu
	kF
	kFeacft
	kSs
	kFs
	kGdStartAuth
	kGdAuthSucceed
	kGdAuthFailed
	kGdSendSMS
	kGdEnrollComplete
	kCls
	kScpr
	kScp
	kFcp
	kFcpr
	kSv
	kSapi
	kFn
	kDepnote
	kAPILimitWarning
	kLimitWc
	kLimitMu
	kPwdLeak
	numKinds
)

// pool says which users an event type can be about.
type pool uint8

const (
	poolNone     pool = iota // machine events: no user
	poolAll                  // any user
	poolDatabase             // users of the password database (password failures, signups, ...)
	poolEmail                // passwordless users
	poolMFA                  // users enrolled in MFA
)

type kindInfo struct {
	code string
	pool pool
	// weight is the share of baseline traffic, per 100,000 events.
	weight float64
}

// kinds is the baseline mix of a healthy consumer tenant: logins and the token exchanges that
// follow them dominate, failures are a few percent, and attack-protection events are rare.
var kinds = [numKinds]kindInfo{
	kS:                {"s", poolAll, 27000},
	kSeacft:           {"seacft", poolAll, 15500},
	kSertft:           {"sertft", poolAll, 5200},
	kSsa:              {"ssa", poolAll, 12800},
	kFsa:              {"fsa", poolAll, 1800},
	kSeccft:           {"seccft", poolNone, 4300},
	kFeccft:           {"feccft", poolNone, 40},
	kSepft:            {"sepft", poolDatabase, 2400},
	kFepft:            {"fepft", poolDatabase, 100},
	kSlo:              {"slo", poolAll, 4400},
	kScoa:             {"scoa", poolDatabase, 2300},
	kFcoa:             {"fcoa", poolDatabase, 120},
	kFp:               {"fp", poolDatabase, 1750},
	kFu:               {"fu", poolNone, 560},
	kF:                {"f", poolAll, 200},
	kFeacft:           {"feacft", poolAll, 150},
	kSs:               {"ss", poolDatabase, 900},
	kFs:               {"fs", poolDatabase, 100},
	kGdStartAuth:      {"gd_start_auth", poolMFA, 1400},
	kGdAuthSucceed:    {"gd_auth_succeed", poolMFA, 1250},
	kGdAuthFailed:     {"gd_auth_failed", poolMFA, 100},
	kGdSendSMS:        {"gd_send_sms", poolMFA, 400},
	kGdEnrollComplete: {"gd_enrollment_complete", poolMFA, 50},
	kCls:              {"cls", poolEmail, 700},
	kScpr:             {"scpr", poolDatabase, 250},
	kScp:              {"scp", poolDatabase, 200},
	kFcp:              {"fcp", poolDatabase, 30},
	kFcpr:             {"fcpr", poolNone, 30},
	kSv:               {"sv", poolDatabase, 200},
	kSapi:             {"sapi", poolNone, 350},
	kFn:               {"fn", poolDatabase, 30},
	kDepnote:          {"depnote", poolNone, 6},
	kAPILimitWarning:  {"api_limit_warning", poolNone, 2},
	kLimitWc:          {"limit_wc", poolDatabase, 3},
	kLimitMu:          {"limit_mu", poolNone, 2},
	kPwdLeak:          {"pwd_leak", poolDatabase, 3},
}

// picker draws an index with probability proportional to its weight. It is built once and is
// read-only afterwards.
type picker struct{ cum []float64 }

func newPicker(weights []float64) picker {
	cum := make([]float64, len(weights))
	total := 0.0
	for i, w := range weights {
		total += w
		cum[i] = total
	}
	return picker{cum: cum}
}

func (p picker) pick(r *rand.Rand) int {
	x := r.Float64() * p.cum[len(p.cum)-1]
	i, _ := slices.BinarySearch(p.cum, x)
	if i >= len(p.cum) {
		i = len(p.cum) - 1
	}
	return i
}

var kindPicker = func() picker {
	w := make([]float64, numKinds)
	for i, k := range kinds {
		w[i] = k.weight
	}
	return newPicker(w)
}()
