package baseline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
)

// PolicySummary is the one line a plan shows for a policy document instead of its JSON: how many
// statements it has, how much of the managed policy quota it takes (IAM counts the characters that
// are not whitespace) and the first 12 hex digits of the SHA-256 of the document. Any change of the
// document changes the line, so a plan shows which documents change without printing them; the
// documents themselves stay in the state (policy_documents) and in the iambaseline_policy_documents
// data source.
func PolicySummary(document string) string {
	sum := sha256.Sum256([]byte(document))
	return fmt.Sprintf("%s, %s of %s characters, sha256:%s", statementCount(document),
		thousands(NonWhitespaceLen(document)), thousands(ManagedPolicyMaxChars), hex.EncodeToString(sum[:])[:12])
}

// PolicySummaries is PolicySummary of every document, by the same keys.
func PolicySummaries(documents map[string]string) map[string]string {
	out := make(map[string]string, len(documents))
	for k, d := range documents {
		out[k] = PolicySummary(d)
	}
	return out
}

func statementCount(document string) string {
	var doc struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(document), &doc); err != nil {
		return "not JSON"
	}
	n := 0
	var list []json.RawMessage
	switch {
	case len(doc.Statement) == 0 || string(doc.Statement) == "null":
	case json.Unmarshal(doc.Statement, &list) == nil:
		n = len(list)
	default:
		n = 1 // a single statement object
	}
	if n == 1 {
		return "1 statement"
	}
	return strconv.Itoa(n) + " statements"
}

// thousands writes n with a comma between groups of three digits (6,144).
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
