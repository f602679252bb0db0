package baseline

import (
	"regexp"
	"strings"
)

// AppScope is what Developers own. Services that put a resource's name in its ARN (Lambda
// functions and layers, ECR repositories, ECS clusters, services, tasks and task definitions,
// CodeBuild projects, CodeDeploy applications, CodePipeline pipelines, CloudWatch Logs groups,
// alarms and dashboards, DynamoDB tables, SQS queues, SNS topics, Secrets Manager secrets) are
// scoped by NamePrefix. EC2 resources, whose ARNs carry only IDs, are scoped by the tag
// TagKey = TagValue: Developers (and SysAdmins, for rewrites) may create EC2 resources only with
// that tag and change only resources that carry it, and no group can add the tag to an existing
// resource or remove it. Roles the app's compute runs as are those under RolePath.
//
// The scope is only as strong as its contract: give a resource the app prefix or the app tag, or
// a role the RolePath, only when its permissions are no broader than the app's. A resource in the
// scope that runs as a more powerful role (say, a CodeBuild project named acme-app-deploy with an
// administrator role) hands that role to every developer.
type AppScope struct {
	// NamePrefix starts the name of every app resource, e.g. "acme-app-". Lowercase letters,
	// digits, "-" and "_", ending with "-" or "_" (ECR repository names are lowercase).
	NamePrefix string
	// TagKey and TagValue mark app EC2 resources (instances, volumes, snapshots, images,
	// launch templates).
	TagKey   string
	TagValue string
	// RolePath is the IAM path of the roles Developers and SysAdmins may pass to services.
	RolePath string
}

// DefaultAppScopeTagKey is the default tag key of the app scope.
const DefaultAppScopeTagKey = "iambaseline:app-scope"

// DefaultAppScope derives an app scope from the baseline's name_prefix: names starting with
// <name_prefix>app- (lowercased, other characters turned into "-"), the tag
// iambaseline:app-scope = <name_prefix>app, and roles under /app/.
func DefaultAppScope(namePrefix string) AppScope {
	stem := appNameUnsafe.ReplaceAllString(strings.ToLower(namePrefix), "-") + "app"
	return AppScope{
		NamePrefix: stem + "-",
		TagKey:     DefaultAppScopeTagKey,
		TagValue:   stem,
		RolePath:   DeveloperPassRolePath,
	}
}

// WithDefaults fills the empty fields from DefaultAppScope(namePrefix).
func (a AppScope) WithDefaults(namePrefix string) AppScope {
	d := DefaultAppScope(namePrefix)
	if a.NamePrefix == "" {
		a.NamePrefix = d.NamePrefix
	}
	if a.TagKey == "" {
		a.TagKey = d.TagKey
	}
	if a.TagValue == "" {
		a.TagValue = d.TagValue
	}
	if a.RolePath == "" {
		a.RolePath = d.RolePath
	}
	return a
}

var (
	appNameUnsafe  = regexp.MustCompile(`[^a-z0-9_-]`)
	appNamePrefix  = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*[-_]$`)
	appTagPattern  = regexp.MustCompile(`^[A-Za-z0-9 _.:/=+@-]+$`)
	maxAppNameSize = 64
)

// Validate reports the first problem with a complete app scope, naming the app_scope field.
func (a AppScope) Validate() error {
	switch {
	case !appNamePrefix.MatchString(a.NamePrefix) || len(a.NamePrefix) < 3 || len(a.NamePrefix) > maxAppNameSize:
		return optionError("app_scope.name_prefix", "app_scope.name_prefix %q must be 3-%d lowercase letters, digits, \"-\" or \"_\", start with a letter or digit and end with \"-\" or \"_\" (so it cannot match names that merely start with the same letters), e.g. \"acme-app-\"", a.NamePrefix, maxAppNameSize)
	case len(a.TagKey) == 0 || len(a.TagKey) > 127 || !appTagPattern.MatchString(a.TagKey) || strings.HasPrefix(strings.ToLower(a.TagKey), "aws:"):
		return optionError("app_scope.tag_key", "app_scope.tag_key %q must be 1-127 letters, digits, spaces or _.:/=+@- and must not start with \"aws:\"", a.TagKey)
	case len(a.TagValue) == 0 || len(a.TagValue) > 255 || !appTagPattern.MatchString(a.TagValue):
		return optionError("app_scope.tag_value", "app_scope.tag_value %q must be 1-255 letters, digits, spaces or _.:/=+@-", a.TagValue)
	case !iamPathPattern.MatchString(a.RolePath) || strings.ContainsAny(a.RolePath, "*?") || a.RolePath == "/":
		return optionError("app_scope.role_path", "app_scope.role_path %q must look like \"/app/\": start and end with a slash, no wildcards, and not \"/\" (that would be every role)", a.RolePath)
	}
	for _, p := range ProtectedNamePrefixes() {
		if strings.HasPrefix(a.NamePrefix, p) || strings.HasPrefix(p, a.NamePrefix) {
			return optionError("app_scope.name_prefix", "app_scope.name_prefix %q overlaps %q, the names of the audit trail's resources, which no group may change: choose another prefix", a.NamePrefix, p+"*")
		}
	}
	return nil
}

// appARNs are the ARN patterns of the app's named resources, for the actions that Developers may
// take on any of them.
func (a AppScope) appARNs(partition string) []string {
	n := a.NamePrefix
	arn := func(service, resource string) string {
		return "arn:" + partition + ":" + service + ":*:*:" + resource
	}
	return []string{
		arn("lambda", "function:"+n+"*"),
		arn("lambda", "layer:"+n+"*"),
		arn("ecr", "repository/"+n+"*"),
		arn("codebuild", "project/"+n+"*"),
		arn("codepipeline", n+"*"),
		// Log groups named <prefix>... or .../<prefix>... (the services' own /aws/lambda/<name>,
		// /aws/codebuild/<name>, /ecs/<name>).
		arn("logs", "log-group:"+n+"*"),
		arn("logs", "log-group:*/"+n+"*"),
		arn("codedeploy", "application:"+n+"*"),
		arn("codedeploy", "deploymentgroup:"+n+"*"),
		arn("codedeploy", "deploymentconfig:*"),
		arn("cloudwatch", "alarm:"+n+"*"),
		arn("dynamodb", "table/"+n+"*"),
		arn("sqs", n+"*"),
		arn("sns", n+"*"),
		arn("secretsmanager", "secret:"+n+"*"),
	}
}

// ecsARNs name every ECS resource whose name starts with the prefix (clusters, task definitions,
// capacity providers) or that lives in a cluster whose name does (services, tasks, container
// instances, task sets: service/<cluster>/<name>), one resource type each: a wildcard in the type
// part of the ARN is read differently by independent evaluators, so the types are named. They also
// match an app-named service in another cluster; the ecs:cluster condition of the statement that
// uses them rules that out.
func (a AppScope) ecsARNs(partition string) []string {
	var out []string
	for _, typ := range []string{"capacity-provider", "cluster", "container-instance", "service", "task", "task-definition", "task-set"} {
		out = append(out, "arn:"+partition+":ecs:*:*:"+typ+"/"+a.NamePrefix+"*")
	}
	return out
}

func (a AppScope) resourceTagCondition() map[string]map[string][]string {
	return map[string]map[string][]string{"StringEquals": {"aws:ResourceTag/" + a.TagKey: {a.TagValue}}}
}

func (a AppScope) requestTagCondition() map[string]map[string][]string {
	return map[string]map[string][]string{"StringEquals": {"aws:RequestTag/" + a.TagKey: {a.TagValue}}}
}
