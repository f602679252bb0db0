package baseline

import "slices"

// SysAdmins keep the infrastructure: EC2 instances in and out of the app scope (launch, start,
// stop, reboot, terminate, tag, key pairs), networking (VPC, subnets, route tables, security
// groups, gateways, network ACLs, addresses, flow logs), load balancers, auto scaling and
// monitoring (CloudWatch, CloudWatch Logs, Systems Manager reads without parameter values).
//
// What would let them run code as, or copy the data of, a system outside the app scope is allowed
// only on resources with the app tag (the EC2 statements Developers have too): rewriting user data
// or other instance attributes, swapping instance profiles, new launch template versions (which an
// Auto Scaling group would pick up), snapshots, images and volumes of untagged disks. The trail's
// logs and alarms are protected by the guardrails every group carries.
//
// The grant table (granttable.go) shows what is left: networking stops at the account's edge
// (sysAdminNetworkStatements), monitoring does not stream logs out (sysAdminMonitoringStatements),
// tags never carry the app-scope key (sysAdminTagStatements).
func sysAdminStatements(o Options) []Statement {
	stmts := []Statement{
		// Every Describe but the three that return user data of systems outside the app scope:
		// ec2:DescribeInstanceAttribute (an app instance's is AppEC2Operate's),
		// ec2:DescribeLaunchTemplateVersions (IAM authorizes it on "*" only; launch template versions
		// are read through Terraform, the templates themselves with DescribeLaunchTemplates) and
		// autoscaling:DescribeLaunchConfigurations (launch configurations are deprecated in favour of
		// launch templates). ec2:GetConsoleOutput (what an instance's boot printed) is AppEC2Operate's:
		// app-tagged instances only.
		allow("ManageAnyInstance", slices.Concat(
			actionsExcept("autoscaling:Describe*", sysAdminHiddenReads[0]),
			actionsExcept("ec2:Describe*", sysAdminHiddenReads[1:]...),
			[]string{
				"ec2:CreateKeyPair",
				"ec2:CreateLaunchTemplate",
				"ec2:DeleteKeyPair",
				"ec2:ImportKeyPair",
				"ec2:MonitorInstances",
				"ec2:RebootInstances",
				"ec2:StartInstances",
				"ec2:StopInstances",
				"ec2:TerminateInstances",
				"ec2:UnmonitorInstances",
			})),
		// Instances need not carry the app tag; the image they start from is checked below.
		allow("LaunchAnyInstance", []string{"ec2:RunInstances"},
			ec2ARN(o.Partition, "instance/*"),
			ec2ARN(o.Partition, "volume/*"),
		),
	}
	stmts = append(stmts, sysAdminTagStatements(o)...)
	stmts = append(stmts, appEC2Statements(o)...)
	stmts = append(stmts, sysAdminNetworkStatements()...)
	stmts = append(stmts, sysAdminMonitoringStatements(o)...)
	stmts = append(stmts, allow("PassAppRoles", []string{"iam:PassRole"}, passRoleARN(o.Partition, o.AppScope.RolePath)))
	return append(stmts, sysAdminJobStatements(o)...)
}

// sysAdminTagStatements: Auto Scaling and tags on any EC2 resource, never with the app-scope tag
// key (the guardrail denies it too; the grant itself names the limit): an Auto Scaling group
// propagates its tags to the instances it launches, and the tag is the app scope's key. A request
// without tags (most of Auto Scaling's) meets the condition; ec2:DeleteTags without keys, which
// removes every tag, is the guardrail's DenyRemoveAllTags.
func sysAdminTagStatements(o Options) []Statement {
	s := allow("AutoScalingAndTags", slices.Concat(actionsExcept("autoscaling:*", sysAdminHiddenReads[0]), []string{"ec2:CreateTags", "ec2:DeleteTags"}))
	s.Condition = map[string]map[string][]string{"ForAllValues:StringNotEquals": {"aws:TagKeys": {o.AppScope.TagKey}}}
	// Load balancer tags the same way (elasticloadbalancing:AddTags and RemoveTags always name
	// their keys, so the condition always has values to check).
	lb := allow("LoadBalancerTags", []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"})
	lb.Condition = map[string]map[string][]string{"ForAllValues:StringNotEquals": {"aws:TagKeys": {o.AppScope.TagKey}}}
	return []Statement{s, lb}
}

// sysAdminNetworkStatements configure the account's own networks (configures-network in the
// grant table): VPCs, subnets, route tables and routes, security groups, network ACLs, internet
// and NAT gateways, addresses, network interfaces, DHCP options, flow logs, load balancers. What
// opens a path to another account or a network outside the account is not granted: network
// interface permissions, endpoint services, transit and local gateways, VPN, address transfers,
// VPC block-public-access exclusions. Peering only between this account's VPCs, and interface or
// gateway endpoints only to AWS services.
func sysAdminNetworkStatements() []Statement {
	// Interface and gateway endpoints only to AWS services, never to another account's endpoint
	// service (a private path between the accounts): creating one names the service's owner,
	// deleting one only its name (other accounts' services are com.amazonaws.vpce.<region>.vpce-svc-...).
	endpoints := allow("EndpointsToAWSServices", []string{"ec2:CreateVpcEndpoint", "ec2:DeleteVpcEndpoints"})
	endpoints.Condition = map[string]map[string][]string{
		"StringEqualsIfExists":  {"ec2:VpceServiceOwner": {"amazon"}},
		"StringNotLikeIfExists": {"ec2:VpceServiceName": {"com.amazonaws.vpce.*"}},
	}
	return []Statement{allow("ConfigureNetworking", slices.Concat([]string{
		"acm:DescribeCertificate",
		"acm:ListCertificates",
		"ec2:*Address",
		"ec2:*AddressAttribute",
		"ec2:*Addresses",
		"ec2:*DhcpOptions*",
		// CreateRoute, DeleteRoute, ReplaceRoute and the VPC route tables (Create, Delete,
		// Associate, Disassociate, ReplaceRouteTableAssociation), not the transit or local
		// gateways' (...GatewayRoute...).
		"ec2:*eRoute",
		"ec2:*eRouteTable*",
		"ec2:*InternetGateway*",
		"ec2:*NatGateway*",
		"ec2:*NetworkAcl*",
		"ec2:*NetworkInterface",
		"ec2:*NetworkInterfaceAttribute",
		// Every security group action but ec2:ApplySecurityGroupsToClientVpnTargetNetwork, which
		// changes what a Client VPN's remote users reach (VPN is a path from outside the account).
		"ec2:*SecurityGroup",
		"ec2:*SecurityGroupEgress",
		"ec2:*SecurityGroupIngress",
		"ec2:*SecurityGroupReferences",
		"ec2:*SecurityGroupRuleDescriptions*",
		"ec2:*SecurityGroupRules",
		"ec2:*SecurityGroups",
		"ec2:*SecurityGroupsForVpc",
		"ec2:*SecurityGroupVpc",
		"ec2:*SecurityGroupVpcAssociations",
		"ec2:*Subnet*",
		"ec2:*Vpc",
		"ec2:*VpcAttribute",
		"ec2:*VpcCidrBlock",
		"ec2:CreateFlowLogs",
	}, sysAdminLoadBalancerActions())), endpoints}
}

// sysAdminMonitoringStatements: CloudWatch and CloudWatch Logs as monitoring, not as a way out.
// Alarms, dashboards, Contributor Insights rules, anomaly detectors, log groups' retention, metric
// filters and saved queries, on every alarm and log group but the audit trail's (the guardrail's
// DenyAuditTrailChanges). Never granted: subscription filters, destinations, exports, deliveries
// and integrations (they stream logs out, to other accounts too), resource, data-protection and
// index policies, KMS key changes, deleting log groups, streams or events, writing log events,
// transformers, alarm mute rules, CloudWatch access grants, logs:Unmask.
func sysAdminMonitoringStatements(o Options) []Statement {
	p := o.Partition
	return []Statement{
		allow("MonitorSystems", slices.Concat(cloudWatchReadActions, []string{
			"logs:Describe*",
			"logs:FilterLogEvents",
			"logs:Get*",
			"logs:List*",
			"logs:StartLiveTail",
			"logs:StartQuery",
			"logs:Stop*",
			"sns:ListTopics",
			// Actions without a resource type: IAM authorizes them only on "*".
			"cloudwatch:*AnomalyDetector",
			"logs:*QueryDefinition",
		}, ssmReadActions)),
		allow("MonitoringSettings", []string{
			"cloudwatch:*AlarmActions",
			"cloudwatch:*Alarms",
			"cloudwatch:*InsightRules",
			"cloudwatch:DeleteDashboards",
			"cloudwatch:Put*Alarm",
			"cloudwatch:PutDashboard",
			"cloudwatch:PutInsightRule",
			"logs:*LogAnomalyDetector",
			"logs:*MetricFilter",
			"logs:*RetentionPolicy",
			"logs:CreateLogGroup",
			"logs:UpdateAnomaly",
		}, "arn:"+p+":cloudwatch:*:*:*", "arn:"+p+":logs:*:*:*"),
	}
}

// SysAdminPatchDocuments are the AWS-owned documents SysAdmins may run with Run Command, on app
// instances only: AWS-RunPatchBaseline takes a BaselineOverride parameter whose patch baseline may
// name other package sources, so on an instance outside the app scope it would run code as that
// instance's role. Instances outside the scope are patched by re-running the associations
// Terraform defines (ssm:StartAssociationsOnce).
var SysAdminPatchDocuments = []string{"AWS-RunPatchBaseline", "AWS-RunPatchBaselineAssociation"}

// SysAdminSessionDocument is the only Session Manager document SysAdmins may start: a shell on
// the instance itself (no port forwarding to other hosts).
const SysAdminSessionDocument = "SSM-SessionManagerRunShell"

// SysAdminServiceLinkedRoles are the service-linked roles SysAdmins may create: those Auto Scaling
// and Elastic Load Balancing need before their first group or load balancer.
var SysAdminServiceLinkedRoles = []string{"autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com"}

// SysAdminDNSRecordTypes are the Route 53 record types SysAdmins may change. MX, NS, SOA and TXT
// stay Terraform's: they decide where the company's email goes and who may prove they own the
// domain, and the root user's password is recovered by email.
var SysAdminDNSRecordTypes = []string{"A", "AAAA", "CNAME"}

// sysAdminJobStatements are the rest of the job, each in its safe form: patching and sessions on
// app instances; resizing any volume or instance type; snapshots of any volume that never carry
// the app tag (nobody in the baseline can restore, share or copy an untagged snapshot, so it
// cannot move another system's data into the app scope); certificates; DNS records; the first
// service-linked roles of Auto Scaling and ELB.
func sysAdminJobStatements(o Options) []Statement {
	p, scope := o.Partition, o.AppScope
	tagged := scope.resourceTagCondition()
	awsDocs := make([]string, 0, len(SysAdminPatchDocuments)+1)
	for _, d := range SysAdminPatchDocuments {
		awsDocs = append(awsDocs, "arn:"+p+":ssm:*::document/"+d)
	}
	patchDocs := allow("PatchWithAWSDocuments", []string{"ssm:SendCommand"}, awsDocs...)
	sessionDoc := allow("SessionDocument", []string{"ssm:StartSession"}, "arn:"+p+":ssm:*:*:document/"+SysAdminSessionDocument)
	onApp := allow("PatchAndSessionOnAppInstances", []string{"ssm:SendCommand", "ssm:StartSession"}, ec2ARN(p, "instance/*"))
	onApp.Condition = tagged
	own := allow("OwnSessions", []string{"ssm:ResumeSession", "ssm:TerminateSession"}, "arn:"+p+":ssm:*:*:session/${aws:username}-*")
	resize := allow("ResizeAny", []string{"ec2:ModifyVolume"}, ec2ARN(p, "volume/*"))
	instanceType := allow("ChangeInstanceType", []string{"ec2:ModifyInstanceAttribute"}, ec2ARN(p, "instance/*"))
	instanceType.Condition = map[string]map[string][]string{"StringEquals": {"ec2:Attribute": {"instanceType"}}}
	snapshot := allow("SnapshotAnyVolumeUntagged", []string{"ec2:CreateSnapshot"}, ec2ARN(p, "volume/*"), ec2ARN(p, "snapshot/*"))
	snapshot.Condition = map[string]map[string][]string{"Null": {"aws:RequestTag/" + scope.TagKey: {"true"}}}
	certs := allow("RequestCertificates", []string{
		"acm:DeleteCertificate",
		"acm:RequestCertificate",
		"acm:ResendValidationEmail",
	})
	dns := allow("ChangeDNSRecords", []string{"route53:ChangeResourceRecordSets"}, "arn:"+p+":route53:::hostedzone/*")
	dns.Condition = map[string]map[string][]string{"ForAllValues:StringEquals": {"route53:ChangeResourceRecordSetsRecordTypes": SysAdminDNSRecordTypes}}
	linked := allow("CreateServiceLinkedRoles", []string{"iam:CreateServiceLinkedRole"})
	linked.Condition = map[string]map[string][]string{"StringEquals": {"iam:AWSServiceName": SysAdminServiceLinkedRoles}}
	return []Statement{patchDocs, sessionDoc, onApp, own, resize, instanceType, snapshot, certs, dns, linked,
		allow("RerunAssociations", []string{"route53:GetChange", "ssm:StartAssociationsOnce"})}
}

// sysAdminHiddenReads are the Describe actions SysAdmins' wildcards leave out (they return user
// data, which may carry secrets, of systems outside the app scope): the first Auto Scaling's, the
// rest EC2's. ssm:ListCommandInvocations is ssmReadActions'.
var sysAdminHiddenReads = []string{"autoscaling:DescribeLaunchConfigurations", "ec2:DescribeInstanceAttribute", "ec2:DescribeLaunchTemplateVersions"}

// sysAdminLoadBalancerActions are every Elastic Load Balancing action but: tags (LoadBalancerTags
// grants them without the app-scope key), elasticloadbalancing:AllowVendedLogDeliveryForResource
// (it lets CloudWatch Logs deliver a load balancer's logs, to other accounts too, and SysAdmins
// create no deliveries) and DeleteSharedTrustStoreAssociation (it removes a trust store shared
// through AWS RAM from another account's load balancer; SysAdmins share nothing).
func sysAdminLoadBalancerActions() []string {
	return actionsExcept("elasticloadbalancing:*", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
		"elasticloadbalancing:AllowVendedLogDeliveryForResource", "elasticloadbalancing:DeleteSharedTrustStoreAssociation")
}

// ssmReadActions read Systems Manager state without parameter values, ssm:GetCommandInvocation
// (the output of another person's command may print a secret; patch results are read through
// compliance: DescribeInstancePatchStates, ListComplianceItems), automation outputs or document
// contents. Every ssm:List* but ssm:ListCommandInvocations, which with Details returns each
// invocation's output (ssm:ListCommands, without output, stays).
var ssmReadActions = slices.Concat([]string{
	"ssm:Describe*",
	"ssm:Get*PatchBaseline*",
	"ssm:GetConnectionStatus",
	"ssm:GetInventory*",
	"ssm:GetMaintenanceWindow*",
	"ssm:GetOpsSummary",
	"ssm:GetServiceSetting",
}, actionsExcept("ssm:List*", "ssm:ListCommandInvocations"))
