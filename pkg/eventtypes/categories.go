package eventtypes

// Category ids. They are stored in saved queries and dashboards, so they never change.
const (
	CategoryLoginSuccess         = "login_success"
	CategoryLoginFailure         = "login_failure"
	CategorySignup               = "signup"
	CategoryTokenExchangeSuccess = "token_exchange_success"
	CategoryTokenExchangeFailure = "token_exchange_failure"
	CategorySilentAuth           = "silent_auth"
	CategoryAnomalyDetection     = "anomaly_detection"
	CategoryMFA                  = "mfa"
	CategoryPasswordless         = "passwordless"
	CategoryDeviceAuthorization  = "device_authorization"
	CategoryPasswordEmailChange  = "password_email_change"
	CategoryNotifications        = "notifications"
	CategoryUserManagement       = "user_management"
	CategoryLogout               = "logout"
	CategoryExtensibility        = "extensibility"
	CategoryManagementAPI        = "management_api"
	CategoryRateLimits           = "rate_limits"
	CategorySystem               = "system"
	// CategoryOther holds codes the catalog does not know, such as types Auth0 added after this
	// plugin was built. No catalog code is in it.
	CategoryOther = "other"
)

// categoryList is the order a picker shows: the sign-in path first, then account and admin
// activity, then platform notices, and other last.
var categoryList = []Category{
	{CategoryLoginSuccess, "Successful logins", "Logins that succeeded, including cross-origin authentication and credential checks."},
	{CategoryLoginFailure, "Failed logins", "Logins that failed (wrong password, unknown user, connector or CORS errors), login warnings and failed authorization requests."},
	{CategorySignup, "Signups", "Sign-ups that succeeded or failed."},
	{CategoryTokenExchangeSuccess, "Token exchanges: success", "Authorization codes, passwords, refresh tokens, client credentials, device codes, CIBA requests and other grants exchanged for tokens, plus revocations and delegation."},
	{CategoryTokenExchangeFailure, "Token exchanges: failure", "Token requests that were refused, such as a revoked refresh token or a bad client credential."},
	{CategorySilentAuth, "Silent authentication", "Session checks made without user interaction (prompt=none)."},
	{CategoryAnomalyDetection, "Attack protection", "Brute-force and suspicious-IP blocks, breached-password detection, bot-detection assessments and released blocks."},
	{CategoryMFA, "Multi-factor authentication", "MFA prompts, challenges, enrollments, recovery codes, factor messages and Guardian settings."},
	{CategoryPasswordless, "Passwordless and passkeys", "Passwordless codes and links sent, and passkey challenges."},
	{CategoryDeviceAuthorization, "Device flow and CIBA", "Device activation, authorization and confirmation, and Client-Initiated Backchannel Authentication starts. Their token exchanges are under the token exchange categories."},
	{CategoryPasswordEmailChange, "Password and profile changes", "Changes of password, email, phone number or username, and password-reset requests."},
	{CategoryNotifications, "Emails and notifications", "Verification emails and other notifications Auth0 sends, with their failures and warnings."},
	{CategoryUserManagement, "User management", "User deletion, imports, invitations, organization membership and SCIM provisioning."},
	{CategoryLogout, "Logout", "User logouts and federated, back-channel and universal logout requests."},
	{CategoryExtensibility, "Actions, hooks, forms and flows", "Runs of customer code and no-code extensibility: Actions, hooks, Forms and Flows."},
	{CategoryManagementAPI, "Management API and configuration", "Management API calls (writes, failures, secret reads), self-service SSO setup and KMS key operations."},
	{CategoryRateLimits, "Rate limits", "API rate limits reached or nearly reached, and peak-performance notices."},
	{CategorySystem, "System notices", "Deprecation notices, network ACL summaries, AD/LDAP connector status, Auth0 updates and resource cleanup."},
	{CategoryOther, "Other", "Event types this plugin does not know yet."},
}
