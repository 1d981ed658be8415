// Package kingdee is a client for the WebAPI of Kingdee Cloud Galaxy
// (金蝶云星空, K3Cloud), the ERP that receives orderbridge's bills.
//
// # Calls
//
// Every call is a JSON POST to {BaseURL}{ServiceName}.common.kdsvc. A
// [Client] offers the document operations the writer and the admin need:
// [Client.Save], [Client.BatchSave], [Client.Submit], [Client.Audit],
// [Client.UnAudit], [Client.Delete], [Client.View] and
// [Client.ExecuteBillQuery]. Answers come back as typed results; Kingdee's
// business errors, which arrive with HTTP 200, come back as [*Error].
//
// # Authentication
//
// Four modes are supported, chosen by [Config.Auth]: "password"
// (AuthService.ValidateUser), "appsecret" (LoginByAppSecret), "sign"
// (LoginBySign, a SHA-256 over the sorted credentials) and "signature"
// (no login: every request carries X-Api-* and X-Kd-* signature headers).
// The three login modes keep the session cookie (kdservice-sessionid) in a
// cookie jar of the client's own. The first call logs in; a client is safe
// for concurrent use and logs in at most once per lost session.
//
// # Errors and retries
//
// The client never replays a write on its own. When Kingdee reports a lost
// session (MsgCode 1), a read is retried once after a new login, while a
// write logs in again and returns the [*Error] so that the caller can look
// the bill up before it sends anything again. When a write may have reached
// Kingdee but no answer was read (a timeout, a dropped connection, HTTP 5xx,
// a body that is not JSON), the error wraps [ErrOutcomeUnknown]. Callers
// choose between retry and dead letter with [errors.Is] and [errors.As]:
// see [Error.SessionLost], [Error.Transient], [Error.AlreadyExists],
// [Error.AlreadyAudited] and [Error.Permanent].
package kingdee
