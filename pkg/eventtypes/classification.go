package eventtypes

// assignment gives the codes of one category, grouped by outcome. The rule behind each outcome is
// in doc.go; the names and descriptions come from event-codes.tsv.
type assignment struct {
	category string
	outcomes map[Outcome][]string
}

// assignments places every code of event-codes.tsv in exactly one category with one outcome.
// Loading fails if a code is missing, repeated or not in the TSV, so this table and the data file
// cannot drift apart.
var assignments = []assignment{
	{CategoryLoginSuccess, map[Outcome][]string{
		OutcomeSuccess: {"s", "scoa", "scv"},
	}},
	{CategoryLoginFailure, map[Outcome][]string{
		OutcomeFailure: {"f", "fp", "fu", "fc", "fco", "fcoa", "fpar", "rich_consents_access_error"},
		OutcomeWarning: {"w"},
	}},
	{CategorySignup, map[Outcome][]string{
		OutcomeSuccess: {"ss"},
		OutcomeFailure: {"fs"},
	}},
	{CategoryTokenExchangeSuccess, map[Outcome][]string{
		OutcomeSuccess: {
			"seacft", "seccft", "secte", "sede", "sens", "seoobft", "seotpft", "sepft", "sepkoobft",
			"sepkotpft", "sepkrcft", "sercft", "sertft", "sd", "srrt", "ciba_exchange_succeeded",
			"refresh_token_exchange_for_session_token_successful",
		},
	}},
	{CategoryTokenExchangeFailure, map[Outcome][]string{
		OutcomeFailure: {
			"feacft", "feccft", "fecte", "fede", "fens", "feoobft", "feotpft", "fepft", "fepotpft",
			"fercft", "ferrt", "fertft", "fd", "ciba_exchange_failed",
			"refresh_token_exchange_for_session_token_failed",
		},
	}},
	{CategorySilentAuth, map[Outcome][]string{
		OutcomeSuccess: {"ssa"},
		OutcomeFailure: {"fsa"},
	}},
	{CategoryAnomalyDetection, map[Outcome][]string{
		OutcomeFailure: {"limit_wc", "limit_mu", "limit_sul"},
		OutcomeWarning: {"pwd_leak", "signup_pwd_leak"},
		OutcomeInfo:    {"pla", "ublkdu"},
	}},
	{CategoryMFA, map[Outcome][]string{
		OutcomeSuccess: {
			"gd_auth_succeed", "gd_auth_email_verification", "gd_enrollment_complete",
			"gd_recovery_succeed", "gd_send_email", "gd_send_email_verification", "gd_send_pn",
			"gd_send_sms", "gd_send_voice", "gd_unenroll", "gd_update_device_account",
			"gd_tenant_update", "gd_user_delete",
		},
		OutcomeFailure: {
			"gd_auth_failed", "gd_auth_rejected", "gd_auth_fail_email_verification",
			"gd_otp_rate_limit_exceed", "gd_recovery_failed", "gd_recovery_rate_limit_exceed",
			"gd_send_email_verification_failure", "gd_send_pn_failure", "gd_send_sms_failure",
			"gd_send_voice_failure", "gd_start_enroll_failed", "gd_webauthn_challenge_failed",
			"gd_webauthn_enrollment_failed", "too_many_records",
		},
		OutcomeInfo: {"mfar", "gd_start_auth", "gd_start_enroll", "gd_module_switch"},
	}},
	{CategoryPasswordless, map[Outcome][]string{
		OutcomeSuccess: {"cls", "cs", "passkey_challenge_started"},
		OutcomeFailure: {"passkey_challenge_failed"},
	}},
	{CategoryDeviceAuthorization, map[Outcome][]string{
		OutcomeSuccess: {"ciba_start_succeeded"},
		OutcomeFailure: {"fdeac", "fdeaz", "fdecc", "ciba_start_failed"},
	}},
	{CategoryPasswordEmailChange, map[Outcome][]string{
		OutcomeSuccess: {"scp", "scpr", "sce", "scpn", "scu"},
		OutcomeFailure: {"fcp", "fcpr", "fce", "fcpn", "fcu"},
	}},
	{CategoryNotifications, map[Outcome][]string{
		OutcomeSuccess: {"sv", "svr"},
		OutcomeFailure: {"fn", "fv", "fvr"},
		OutcomeWarning: {"wn"},
	}},
	{CategoryUserManagement, map[Outcome][]string{
		OutcomeSuccess: {"sdu", "du", "sui", "si", "organization_member_added", "sscim"},
		OutcomeFailure: {"fdu", "fui", "fi"},
		OutcomeWarning: {"wum"},
	}},
	{CategoryLogout, map[Outcome][]string{
		OutcomeSuccess: {"slo", "oidc_backchannel_logout_succeeded", "universal_logout_succeeded"},
		OutcomeFailure: {"flo", "federated_logout_failed", "oidc_backchannel_logout_failed", "universal_logout_failed"},
	}},
	{CategoryExtensibility, map[Outcome][]string{
		OutcomeSuccess: {"flows_execution_completed", "forms_submission_succeeded"},
		OutcomeFailure: {"actions_execution_failed", "flows_execution_failed", "forms_submission_failed", "fcph", "fpurh"},
	}},
	{CategoryManagementAPI, map[Outcome][]string{
		OutcomeSuccess: {"sapi", "mgmt_api_read", "ss_sso_success", "kms_key_management_success"},
		OutcomeFailure: {"fapi", "ss_sso_failure", "kms_key_management_failure"},
		OutcomeInfo:    {"ss_sso_info", "kms_key_state_changed"},
	}},
	{CategoryRateLimits, map[Outcome][]string{
		OutcomeFailure: {"api_limit", "limit_delegation", "limit_ui"},
		OutcomeWarning: {"api_limit_warning"},
		OutcomeInfo:    {"appi"},
	}},
	{CategorySystem, map[Outcome][]string{
		OutcomeSuccess: {"resource_cleanup"},
		OutcomeFailure: {"fcpro"},
		OutcomeWarning: {"depnote", "coff"},
		OutcomeInfo: {
			"acls_summary", "con", "admin_update_launch", "sys_update_start", "sys_update_end",
			"sys_os_update_start", "sys_os_update_end",
		},
	}},
}
