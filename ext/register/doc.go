// Package register implements XEP-0077 In-Band Registration
// (jabber:iq:register): creating an account before login, changing its
// password and cancelling it after login, and registering with services
// (gateways, rooms) with the same protocol.
//
// The codec is pure: ParseQuery reads the <query/> a host answers with
// (XEP-0077 §3.1): its instructions, the legacy fields of the §14.1 schema,
// the <registered/> flag, the XEP-0004 data form that takes precedence over
// the legacy fields (§4, §6; see ext/form) and the XEP-0066 out-of-band URL
// of a host that registers on the web (§5.1). RequestIQ, SubmitIQ,
// SubmitFormIQ, ChangePasswordIQ and RemoveIQ build the requests; their ids
// are left for the sender to fill in.
//
// The operations that need a round trip (Request, Submit, SubmitForm,
// ChangePassword, Cancel) take an IQSender, the one method of the Session
// they need, so that they can be used on any stream and tested with a fake.
//
// # Registering a new account (§3.1)
//
// Before login, a client asks the server for the fields with RequestIQ,
// reads the answer with ParseQuery, and answers with the data form when
// there is one (SubmitFormIQ after filling Fields.Form) or else the legacy
// fields (Fields.Fill, then SubmitIQ); never both (§4). A username that is
// taken comes back as a stanza error with condition conflict (409), a
// missing field as not-acceptable (406); test for them with
// errors.Is(err, register.ErrConflict) and ErrNotAcceptable. jabberd2 only
// lets the new account log in on a new connection.
//
// # Changing the password and cancelling (§3.3, §3.2)
//
// After login, ChangePassword and Cancel act on the logged-in account. The
// password travels in the clear inside the stream: use them over TLS only
// (§3.3). Servers differ in how they confirm a cancellation: Prosody,
// ejabberd and jabberd2 answer the iq and then end the session (with the
// not-authorized stream error XEP-0077 §3.2 recommends, with conflict "User
// removed", and without a stream error), and §3.2 lets a server close the
// stream with not-authorized without answering. Cancel counts a
// not-authorized or conflict close as success; see RemovedByStreamClose for
// the contract with the IQSender. A host that wants
// more information first (the old password, say) refuses with a data form
// (§3.2, §3.3): the error is then a *FormError, whose form goes back with
// SubmitForm.
package register
