package baseline

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Confused-deputy protection of service roles: which services say, when they assume a role, on
// behalf of which account (aws:SourceAccount) and resource (aws:SourceArn) they act.
//
// IAM sets these keys only when the calling service passes them ("see the documentation for the
// AWS services you are using", IAM User Guide, AWS global condition context keys, aws:SourceAccount).
// A trust policy that tests them for a service that does not pass them refuses that service every
// time, so the list below holds only services whose own documentation shows them in a role trust
// policy. A service not listed gets no condition: the provider never guesses.

// SourceContextService is a service principal documented to send aws:SourceAccount and
// aws:SourceArn when it assumes a role.
type SourceContextService struct {
	Principal  string // e.g. "config.amazonaws.com"
	ARNService string // the service field of the ARNs it sends as aws:SourceArn, e.g. "config"
	Source     string // the AWS documentation page that shows the keys in the role's trust policy
}

// SourceContextServices is the list, sorted by principal.
var SourceContextServices = []SourceContextService{
	{"autoscaling.amazonaws.com", "autoscaling", "Amazon EC2 Auto Scaling User Guide: Cross-service confused deputy prevention (service role for lifecycle hook notifications)"},
	{"batch.amazonaws.com", "batch", "AWS Batch User Guide: Cross-service confused deputy prevention"},
	{"config.amazonaws.com", "config", "AWS Config Developer Guide: Permissions for the IAM role assigned to AWS Config (Adding an IAM trust policy to your role)"},
	{"personalize.amazonaws.com", "personalize", "Amazon Personalize Developer Guide: Cross-service confused deputy prevention"},
	{"rds.amazonaws.com", "rds", "Amazon RDS User Guide: Preventing cross-service confused deputy problems"},
	{"scheduler.amazonaws.com", "scheduler", "Amazon EventBridge Scheduler User Guide: Confused deputy prevention (schedule execution role)"},
	{"states.amazonaws.com", "states", "AWS Step Functions Developer Guide: Creating an IAM role for your state machine (Prevent cross-service confused deputy issue)"},
}

// SourceContextExclusions are common service principals deliberately left out of
// SourceContextServices, with the reason: a condition would break them, or AWS does not document
// the keys for every role that principal assumes.
var SourceContextExclusions = map[string]string{
	"ec2.amazonaws.com":          "EC2 hands an instance profile's role to the instance without source context; the condition would refuse every instance",
	"lambda.amazonaws.com":       "Lambda assumes a function's execution role without aws:SourceAccount (the function ARN reaches only the function's own calls, as lambda:SourceFunctionArn)",
	"cloudtrail.amazonaws.com":   "CloudTrail documents confused-deputy prevention as not applicable to its CloudWatch Logs delivery role",
	"ecs-tasks.amazonaws.com":    "ECS documents the keys for task roles only, and task execution roles share the principal",
	"ssm.amazonaws.com":          "Systems Manager documents the keys for hybrid activations and Automation only, and maintenance windows share the principal",
	"dms.amazonaws.com":          "AWS DMS sends the keys only from replication engine 3.4.7 on",
	"codebuild.amazonaws.com":    "not documented",
	"codepipeline.amazonaws.com": "not documented",
	"events.amazonaws.com":       "not documented",
	"backup.amazonaws.com":       "not documented",
	"glue.amazonaws.com":         "not documented",
	"apigateway.amazonaws.com":   "not documented",
}

// SendsSourceContext reports whether service is documented to send aws:SourceAccount and
// aws:SourceArn when it assumes a role.
func SendsSourceContext(service string) bool {
	_, ok := sourceContextService(service)
	return ok
}

func sourceContextService(service string) (SourceContextService, bool) {
	i := slices.IndexFunc(SourceContextServices, func(s SourceContextService) bool { return s.Principal == service })
	if i < 0 {
		return SourceContextService{}, false
	}
	return SourceContextServices[i], true
}

// anySendsSourceContext reports whether one of services is in SourceContextServices.
func anySendsSourceContext(services []string) bool {
	return slices.ContainsFunc(services, SendsSourceContext)
}

// ConfusedDeputyDecided reports whether a trust policy for services says whether confused-deputy
// protection is on: only a service that sends source context shows it.
func ConfusedDeputyDecided(services []string) bool { return anySendsSourceContext(services) }

var (
	sourceARNPattern        = regexp.MustCompile(`^arn:([^:]+):([^:]*):([^:]*):([^:]*):(.+)$`)
	trustedPrincipalPattern = regexp.MustCompile(`^arn:([a-z-]+):iam::(\d{12}):(root|role/[\w+=,.@/-]+|user/[\w+=,.@/-]+)$`)
)

// SourceARNProblem says what is wrong with arn as a value of aws:SourceArn in the trust policy of a
// role of accountID in partition that trusts services, or "" when nothing is. The ARN may hold IAM
// wildcards (* and ?); its partition must be the account's; its account must be the account's or a
// wildcard (aws:SourceAccount pins the account anyway); its service must be that of one of the
// trusted services that send source context.
func SourceARNProblem(arn, partition, accountID string, services []string) string {
	partition = partitionOrDefault(partition)
	m, problem := matchInPartition(sourceARNPattern, arn, partition,
		fmt.Sprintf("%q is not an ARN (arn:%s:<service>:<region>:<account>:<resource>)", arn, partition))
	if problem != "" {
		return problem
	}
	if account := m[4]; accountID != "" && account != accountID && !strings.ContainsAny(account, "*?") {
		return fmt.Sprintf("%q belongs to account %s, not to this account (%s): a service acting for another account's resource must not assume this role", arn, account, accountID)
	}
	var want []string
	for _, s := range services {
		if cs, ok := sourceContextService(s); ok {
			want = append(want, cs.ARNService)
			if GlobMatch(m[2], cs.ARNService) {
				return ""
			}
		}
	}
	if len(want) == 0 {
		return "no trusted service sends aws:SourceArn"
	}
	return fmt.Sprintf("%q is an ARN of service %q, but the trusted services that send aws:SourceArn send ARNs of %s", arn, m[2], strings.Join(want, ", "))
}

// TrustedPrincipalProblem says what is wrong with arn as a principal of a trust policy in partition,
// or "" when nothing is: it must be an IAM role, an IAM user or an account root, without wildcards
// (IAM refuses wildcards in a principal).
func TrustedPrincipalProblem(arn, partition string) string {
	partition = partitionOrDefault(partition)
	_, problem := matchInPartition(trustedPrincipalPattern, arn, partition,
		fmt.Sprintf("%q is not the ARN of an IAM role, an IAM user or an account root (arn:%s:iam::<account>:role/<name>, :user/<name> or :root), without wildcards", arn, partition))
	return problem
}

// matchInPartition matches arn against pattern, whose first group is the partition: the match, or
// what is wrong (notARN when it does not match, else a partition other than the role's account's).
func matchInPartition(pattern *regexp.Regexp, arn, partition, notARN string) ([]string, string) {
	m := pattern.FindStringSubmatch(arn)
	if m == nil {
		return nil, notARN
	}
	if m[1] != partition {
		return nil, fmt.Sprintf("%q is in partition %q, but the role's account is in %q", arn, m[1], partition)
	}
	return m, ""
}

// ServicesWithoutSourceARN are the trusted services that send source context but that no ARN of
// arns can match: with aws:SourceArn in their statement, IAM would refuse them every time.
func ServicesWithoutSourceARN(services, arns []string) []string {
	var missing []string
	for _, s := range sortedSet(services) {
		cs, ok := sourceContextService(s)
		if !ok {
			continue
		}
		covered := slices.ContainsFunc(arns, func(arn string) bool {
			m := sourceARNPattern.FindStringSubmatch(arn)
			return m != nil && GlobMatch(m[2], cs.ARNService)
		})
		if !covered {
			missing = append(missing, s)
		}
	}
	return missing
}
