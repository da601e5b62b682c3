package stanza

// ErrorType is the type attribute of a stanza error, which says what the
// sender may do about it (RFC 6120 §8.3.2).
type ErrorType string

// Stanza error types (RFC 6120 §8.3.2).
const (
	Auth     ErrorType = "auth"     // retry after providing credentials
	Cancel   ErrorType = "cancel"   // do not retry: the error cannot be remedied
	Continue ErrorType = "continue" // proceed: the condition was only a warning
	Modify   ErrorType = "modify"   // retry after changing the data sent
	Wait     ErrorType = "wait"     // retry after waiting: the error is temporary
)

// Condition is a defined stanza error condition (RFC 6120 §8.3.3), the local
// name of an element in the NSStanzas namespace.
type Condition string

// Stanza error conditions (RFC 6120 §8.3.3).
const (
	BadRequest            Condition = "bad-request"             // §8.3.3.1
	Conflict              Condition = "conflict"                // §8.3.3.2
	FeatureNotImplemented Condition = "feature-not-implemented" // §8.3.3.3
	Forbidden             Condition = "forbidden"               // §8.3.3.4
	Gone                  Condition = "gone"                    // §8.3.3.5: Error.Redirect holds the new address
	InternalServerError   Condition = "internal-server-error"   // §8.3.3.6
	ItemNotFound          Condition = "item-not-found"          // §8.3.3.7
	JIDMalformed          Condition = "jid-malformed"           // §8.3.3.8
	NotAcceptable         Condition = "not-acceptable"          // §8.3.3.9
	NotAllowed            Condition = "not-allowed"             // §8.3.3.10
	NotAuthorized         Condition = "not-authorized"          // §8.3.3.11
	PolicyViolation       Condition = "policy-violation"        // §8.3.3.12
	RecipientUnavailable  Condition = "recipient-unavailable"   // §8.3.3.13
	Redirect              Condition = "redirect"                // §8.3.3.14: Error.Redirect holds the new address
	RegistrationRequired  Condition = "registration-required"   // §8.3.3.15
	RemoteServerNotFound  Condition = "remote-server-not-found" // §8.3.3.16
	RemoteServerTimeout   Condition = "remote-server-timeout"   // §8.3.3.17
	ResourceConstraint    Condition = "resource-constraint"     // §8.3.3.18
	ServiceUnavailable    Condition = "service-unavailable"     // §8.3.3.19
	SubscriptionRequired  Condition = "subscription-required"   // §8.3.3.20
	UndefinedCondition    Condition = "undefined-condition"     // §8.3.3.21
	UnexpectedRequest     Condition = "unexpected-request"      // §8.3.3.22

	// PaymentRequired is the condition of RFC 3920 §9.3.3 that RFC 6120
	// removed; older servers still send it (XEP-0086 maps code 402 to it).
	PaymentRequired Condition = "payment-required"
)

// DefaultType returns the error type RFC 6120 §8.3.3 (and XEP-0086 §3 for
// the legacy payment-required) gives as usual for c; Cancel for conditions
// it does not know.
func (c Condition) DefaultType() ErrorType {
	switch c {
	case BadRequest, JIDMalformed, NotAcceptable, Redirect, PolicyViolation:
		return Modify
	case Forbidden, NotAuthorized, RegistrationRequired, SubscriptionRequired, PaymentRequired:
		return Auth
	case RecipientUnavailable, RemoteServerTimeout, ResourceConstraint, UnexpectedRequest:
		return Wait
	}
	return Cancel
}

// legacyCodes maps the numeric error codes of the Jabber protocol before
// XMPP (jabberd 1.4, jabberd2 components) to a condition and type, as in the
// table of XEP-0086 §4.
var legacyCodes = map[string]struct {
	c Condition
	t ErrorType
}{
	"302": {Redirect, Modify},
	"400": {BadRequest, Modify},
	"401": {NotAuthorized, Auth},
	"402": {PaymentRequired, Auth},
	"403": {Forbidden, Auth},
	"404": {ItemNotFound, Cancel},
	"405": {NotAllowed, Cancel},
	"406": {NotAcceptable, Modify},
	"407": {RegistrationRequired, Auth},
	"408": {RemoteServerTimeout, Wait},
	"409": {Conflict, Cancel},
	"500": {InternalServerError, Wait},
	"501": {FeatureNotImplemented, Cancel},
	"502": {ServiceUnavailable, Wait},
	"503": {ServiceUnavailable, Cancel},
	"504": {RemoteServerTimeout, Wait},
	"510": {ServiceUnavailable, Cancel},
}

// FromLegacyCode returns the condition and type XEP-0086 §4 maps the legacy
// error code to, and whether it knows the code.
func FromLegacyCode(code string) (Condition, ErrorType, bool) {
	v, ok := legacyCodes[code]
	return v.c, v.t, ok
}

// LegacyCode returns the numeric code XEP-0086 §3 gives for c, for talking
// to pre-XMPP entities that only understand codes; "" if it has none
// (policy-violation, which is newer than XEP-0086, and unknown conditions).
func (c Condition) LegacyCode() string {
	switch c {
	case Gone, Redirect:
		return "302"
	case BadRequest, JIDMalformed, UnexpectedRequest:
		return "400"
	case NotAuthorized:
		return "401"
	case PaymentRequired:
		return "402"
	case Forbidden:
		return "403"
	case ItemNotFound, RecipientUnavailable, RemoteServerNotFound:
		return "404"
	case NotAllowed:
		return "405"
	case NotAcceptable:
		return "406"
	case RegistrationRequired, SubscriptionRequired:
		return "407"
	case Conflict:
		return "409"
	case InternalServerError, ResourceConstraint, UndefinedCondition:
		return "500"
	case FeatureNotImplemented:
		return "501"
	case ServiceUnavailable:
		return "503"
	case RemoteServerTimeout:
		return "504"
	}
	return ""
}
