package baseline

import (
	"net/url"
	"strings"
	"testing"
)

// IAM returns policy documents URL-encoded per RFC 3986, where "+" is a literal plus. An external ID
// or a condition value holding "+" must come back as it was sent.
func TestDecodePolicyDocumentKeepsPlus(t *testing.T) {
	doc, err := TrustPolicy(nil, []string{"123456789012"}, false, "team+ops=1").JSON()
	if err != nil {
		t.Fatal(err)
	}
	for name, encoded := range map[string]string{
		"plus left as is":  url.PathEscape(doc),
		"plus as %2B":      strings.ReplaceAll(url.PathEscape(doc), "+", "%2B"),
		"raw JSON":         doc,
		"raw JSON spacing": "  " + doc,
	} {
		t.Run(name, func(t *testing.T) {
			got := DecodePolicyDocument(encoded)
			if !strings.Contains(got, `"team+ops=1"`) {
				t.Fatalf("decoded %s", got)
			}
			same, err := PoliciesEquivalent(doc, encoded)
			if err != nil || !same {
				t.Errorf("PoliciesEquivalent(sent, returned) = %v, %v: a refresh would show drift", same, err)
			}
		})
	}
	if got := DecodePolicyDocument(`{"Sid":"100%"}`); got != `{"Sid":"100%"}` {
		t.Errorf("raw JSON holding %% was changed: %s", got)
	}
}
