package baseline

import (
	"net/url"
	"strings"
)

// DecodePolicyDocument undoes the URL-encoding IAM applies to the policy documents it returns
// (GetRole, GetRolePolicy, GetPolicyVersion, GetAccountAuthorizationDetails, ...). IAM encodes them
// per RFC 3986, where "+" is a literal plus, not a space: decoding them as a query string would turn
// an external ID or condition value "a+b" into "a b" and show a drift that never happened. A document
// that is already JSON (some emulators answer it raw) is returned as is, even when it holds a "%".
// This is the only decoding of policy documents in the provider.
func DecodePolicyDocument(doc string) string {
	trimmed := strings.TrimSpace(doc)
	if trimmed == "" || trimmed[0] != '%' {
		return doc
	}
	decoded, err := url.PathUnescape(trimmed)
	if err != nil {
		return doc
	}
	return decoded
}
