package baseline

// EC2 in the app scope, shared by Developers and SysAdmins. EC2 ARNs carry IDs, not names, so the
// scope is the app tag (AppScope.TagKey = TagValue):
//
//   - new instances, volumes, snapshots, images and launch templates must carry the tag, set by
//     the creating call itself (the guardrails deny adding it later or removing it);
//   - whatever rewrites what an instance runs or copies its data (user data and other instance
//     attributes, instance profiles, launch template versions, volumes, snapshots, images, SSH
//     keys pushed through EC2 Instance Connect) is allowed only on tagged resources;
//   - instances may be launched from public or shared images, or from this account's images only
//     when they carry the tag: an untagged image of this account is another system's disk.

func ec2ARN(partition, resource string) string {
	return "arn:" + partition + ":ec2:*:*:" + resource
}

// ec2CreateActions create a resource that must carry the app tag from its first moment.
var ec2CreateActions = []string{
	"ec2:CreateLaunchTemplate",
	"ec2:CreateVolume",
	"ec2:RunInstances",
}

func appEC2Statements(o Options) []Statement {
	p, scope := o.Partition, o.AppScope
	taggable := []string{
		ec2ARN(p, "instance/*"),
		ec2ARN(p, "volume/*"),
		ec2ARN(p, "snapshot/*"),
		ec2ARN(p, "image/*"),
		ec2ARN(p, "launch-template/*"),
	}
	// RunInstances names the image it starts from as a resource too, so the request's tag must not
	// be enough for images and snapshots: new images and snapshots get their own statement.
	createTagged := allow("AppEC2Create", ec2CreateActions, taggable[0], taggable[1], taggable[4])
	createTagged.Condition = scope.requestTagCondition()
	// The source of a copy is checked by AppEC2Operate: ec2:CreateVolume names the snapshot,
	// ec2:CreateSnapshot the volume, ec2:CreateImage the instance; the copy itself must be tagged.
	createCopies := allow("AppEC2Copy", []string{"ec2:CreateImage", "ec2:CreateSnapshot"}, taggable[2], taggable[3])
	createCopies.Condition = scope.requestTagCondition()
	// Tags may be written by the call that creates a resource (ec2:CreateAction is present then);
	// that call needs its own permission.
	tagOnCreate := allow("AppEC2TagOnCreate", []string{"ec2:CreateTags"})
	tagOnCreate.Condition = map[string]map[string][]string{"Null": {"ec2:CreateAction": {"false"}}}
	// Everything on a resource that carries the tag is the app's own business: rewriting user
	// data, swapping the instance profile (to an app role: iam:PassRole), new launch template
	// versions, snapshots and images, SSH keys pushed through EC2 Instance Connect.
	operate := allow("AppEC2Operate", []string{"ec2:*", "ec2-instance-connect:SendSSHPublicKey"}, taggable...)
	operate.Condition = scope.resourceTagCondition()
	// What a launch uses besides the new instance and its volumes: networks, keys, templates, and
	// the image with its snapshots, which must not be this account's own unless tagged (an
	// untagged image of this account is another system's disk). Only images and snapshots have
	// the ec2:Owner key, so the condition leaves the other resources alone.
	launchInputs := allow("AppEC2LaunchInputs", []string{"ec2:RunInstances"},
		ec2ARN(p, "image/*"),
		ec2ARN(p, "key-pair/*"),
		ec2ARN(p, "launch-template/*"),
		ec2ARN(p, "network-interface/*"),
		ec2ARN(p, "placement-group/*"),
		ec2ARN(p, "security-group/*"),
		ec2ARN(p, "snapshot/*"),
		ec2ARN(p, "subnet/*"),
	)
	launchInputs.Condition = map[string]map[string][]string{"StringNotEqualsIfExists": {"ec2:Owner": {"${aws:PrincipalAccount}"}}}
	return []Statement{createTagged, createCopies, tagOnCreate, operate, launchInputs}
}
