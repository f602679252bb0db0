package baseline

import "strings"

// Conditions that make a forbidden class's action safe (issue 21: "a class the group may not have
// without the condition or deny that makes it safe"). A forbidden grant is judged ok only when every
// statement that grants it carries the condition, in the one form that limits it: an exact match
// (StringEquals, no IfExists, no wildcard) on a key whose every value the check accepts.

type safeCondition struct {
	key  string
	safe func(value string) bool
	why  string
}

// safeConditions are keyed by lowercase action.
var safeConditions = map[string]safeCondition{
	// Letting a service in to invoke a function (an API integration, an event rule's target) is what
	// the permission is for; another account or "*" would open the function.
	"lambda:addpermission": {"lambda:Principal", isAWSServicePrincipal, "only under lambda:Principal = AWS service principals"},
	// Taking such a permission away again (Terraform's destroy of aws_lambda_permission) under the
	// same condition.
	"lambda:removepermission": {"lambda:Principal", isAWSServicePrincipal, "only under lambda:Principal = AWS service principals"},
}

// isAWSServicePrincipal: an AWS service's principal written out in full, no wildcard or variable.
func isAWSServicePrincipal(v string) bool {
	return strings.HasSuffix(v, ".amazonaws.com") && !strings.ContainsAny(v, "*?$")
}

// conditionMakesSafe reports whether s grants action only under its safe condition.
func conditionMakesSafe(s Statement, action string) bool {
	sc, ok := safeConditions[strings.ToLower(action)]
	if !ok || len(s.Condition) != 1 {
		return false
	}
	values, ok := s.Condition["StringEquals"][sc.key]
	if !ok || len(s.Condition["StringEquals"]) != 1 || len(values) == 0 {
		return false
	}
	for _, v := range values {
		if !sc.safe(v) {
			return false
		}
	}
	return true
}
