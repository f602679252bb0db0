package baseline

import (
	"slices"
	"testing"
)

// The proof of issue 21 for the SysAdmins' classes the grant table showed open: for each class,
// what the job keeps ("can") and the paths the narrower grants closed ("cannot"). They join the
// SysAdmins proof table (TestProofTables, testdata/proof/sysadmins.txt), so they are evaluated by
// the same evaluator, against the group's parts, the guardrail and the MFA policy, in every
// sign-in and region context.

const (
	webSG        = "arn:aws:ec2:" + use1 + "security-group/sg-0web"
	webLB        = "arn:aws:elasticloadbalancing:" + use1 + "loadbalancer/app/web/0a1b2c3d"
	routeTable   = "arn:aws:ec2:" + use1 + "route-table/rtb-0aaa"
	vpcEndpoint  = "arn:aws:ec2:" + use1 + "vpc-endpoint/vpce-0aaa"
	networkIface = "arn:aws:ec2:" + use1 + "network-interface/eni-0aaa"
	sysLogs      = "arn:aws:logs:" + use1 + "log-group:/var/log/messages"
	opsDashboard = "arn:aws:cloudwatch::" + acct + ":dashboard/ops-overview"
	webASG       = "arn:aws:autoscaling:" + use1 + "autoScalingGroup:0a1b2c3d-4e5f:autoScalingGroupName/prod-web"
	foreignVPC   = "arn:aws:ec2:us-east-1:999999999999:vpc/vpc-0ext"
)

// sysAdminClassProof is a class the grant table showed open for SysAdmins, with the cases that
// prove how it is closed. classes are the classes the cases' actions may have: the class itself,
// and for changes-who-can-reach the account's own networking, classified configures-network.
type sysAdminClassProof struct {
	classes     []GrantClass
	can, cannot []proofCase
}

var sysAdminClassProofs = []sysAdminClassProof{
	{
		classes: []GrantClass{ClassResourceAccess, ClassNetwork},
		can: []proofCase{
			pc("open a port in any security group (AuthorizeSecurityGroupIngress)", "ec2:AuthorizeSecurityGroupIngress", webSG),
			pc("add a listener to any load balancer (CreateListener)", "elasticloadbalancing:CreateListener", webLB),
			pc("route a subnet to an internet gateway (CreateRoute)", "ec2:CreateRoute", routeTable),
			pc("gateway endpoint to S3 (CreateVpcEndpoint, an AWS service)", "ec2:CreateVpcEndpoint", vpcEndpoint,
				"ec2:VpceServiceOwner", "amazon", "ec2:VpceServiceName", "com.amazonaws.us-east-1.s3"),
			pc("delete an endpoint to an AWS service (DeleteVpcEndpoints)", "ec2:DeleteVpcEndpoints", vpcEndpoint, "ec2:VpceServiceName", "com.amazonaws.us-east-1.s3"),
		},
		cannot: []proofCase{
			pc("let another account attach to a network interface (CreateNetworkInterfacePermission)", "ec2:CreateNetworkInterfacePermission", networkIface),
			pc("let other accounts connect to an endpoint service (ModifyVpcEndpointServicePermissions)", "ec2:ModifyVpcEndpointServicePermissions",
				"arn:aws:ec2:"+use1+"vpc-endpoint-service/vpce-svc-0aaa"),
			pc("publish an endpoint service (CreateVpcEndpointServiceConfiguration)", "ec2:CreateVpcEndpointServiceConfiguration",
				"arn:aws:ec2:"+use1+"vpc-endpoint-service/*"),
			pc("endpoint to another account's endpoint service (CreateVpcEndpoint)", "ec2:CreateVpcEndpoint", vpcEndpoint,
				"ec2:VpceServiceOwner", "999999999999", "ec2:VpceServiceName", "com.amazonaws.vpce.us-east-1.vpce-svc-0ext"),
			pc("delete an endpoint to another account's endpoint service (DeleteVpcEndpoints)", "ec2:DeleteVpcEndpoints", vpcEndpoint,
				"ec2:VpceServiceName", "com.amazonaws.vpce.us-east-1.vpce-svc-0ext"),
			pc("peer with another account's VPC (CreateVpcPeeringConnection)", "ec2:CreateVpcPeeringConnection",
				"arn:aws:ec2:"+use1+"vpc-peering-connection/*", "ec2:AccepterVpc", foreignVPC),
			pc("attach to another account's transit gateway (CreateTransitGatewayVpcAttachment)", "ec2:CreateTransitGatewayVpcAttachment",
				"arn:aws:ec2:us-east-1:999999999999:transit-gateway/tgw-0ext"),
			pc("transfer an Elastic IP to another account (EnableAddressTransfer)", "ec2:EnableAddressTransfer", "arn:aws:ec2:"+use1+"elastic-ip/eipalloc-0aaa"),
			pc("exempt a VPC from block public access (CreateVpcBlockPublicAccessExclusion)", "ec2:CreateVpcBlockPublicAccessExclusion", "arn:aws:ec2:"+use1+"vpc/vpc-0aaa"),
		},
	},
	{
		classes: []GrantClass{ClassAudit},
		can: []proofCase{
			pc("metric filter on a system log group (PutMetricFilter)", "logs:PutMetricFilter", sysLogs),
			pc("dashboard of the systems (PutDashboard)", "cloudwatch:PutDashboard", opsDashboard),
			pc("silence another team's alarm during maintenance (DisableAlarmActions)", "cloudwatch:DisableAlarmActions", dbAlarm),
		},
		cannot: []proofCase{
			pc("stream a system's logs out (PutSubscriptionFilter)", "logs:PutSubscriptionFilter", otherLogs),
			pc("export a system's logs (CreateExportTask)", "logs:CreateExportTask", otherLogs),
			pc("a destination for other accounts' subscriptions (PutDestination)", "logs:PutDestination", "arn:aws:logs:"+use1+"destination:out"),
			pc("deliver logs elsewhere (CreateDelivery)", "logs:CreateDelivery", "*"),
			pc("let another principal write or read logs (logs:PutResourcePolicy)", "logs:PutResourcePolicy", "*"),
			pc("delete a system's log group (DeleteLogGroup)", "logs:DeleteLogGroup", otherLogs),
			pc("forge a system's log events (PutLogEvents)", "logs:PutLogEvents", otherLogs+":log-stream:x"),
			pc("remove a log group's data-protection policy (DeleteDataProtectionPolicy)", "logs:DeleteDataProtectionPolicy", otherLogs),
			pc("remove a log group's KMS key (DisassociateKmsKey)", "logs:DisassociateKmsKey", otherLogs),
			pc("mute alarms (PutAlarmMuteRule)", "cloudwatch:PutAlarmMuteRule", "arn:aws:cloudwatch:"+use1+"alarm-mute-rule:maintenance"),
			pc("force another team's alarm to OK (SetAlarmState)", "cloudwatch:SetAlarmState", dbAlarm),
		},
	},
	{
		classes: []GrantClass{ClassSecretRead},
		can: []proofCase{
			pc("read a system log group's events (GetLogEvents)", "logs:GetLogEvents", sysLogs),
			pc("read an app instance's console output (GetConsoleOutput)", "ec2:GetConsoleOutput", instance, appTagged...),
		},
		cannot: []proofCase{
			pc("another person's command output (GetCommandInvocation)", "ssm:GetCommandInvocation", "*"),
			pc("an automation's outputs (GetAutomationExecution)", "ssm:GetAutomationExecution", "arn:aws:ssm:"+use1+"automation-execution/0a1b2c3d"),
			pc("an account document's content (GetDocument)", "ssm:GetDocument", "arn:aws:ssm:"+use1+"document/prod-bootstrap"),
			pc("unmask a log group's protected data (Unmask)", "logs:Unmask", otherLogs),
		},
	},
	// The grants known-open.tsv listed, closed by narrower wildcards (groups_sysadmins.go).
	{
		classes: []GrantClass{ClassSecretRead, ClassList},
		can: []proofCase{
			pc("read an app instance's user data (DescribeInstanceAttribute)", "ec2:DescribeInstanceAttribute", instance, appTagged...),
			pc("list commands and their status, without output (ListCommands)", "ssm:ListCommands", "*"),
			pc("list Auto Scaling groups (DescribeAutoScalingGroups)", "autoscaling:DescribeAutoScalingGroups", "*"),
			pc("see launch templates (DescribeLaunchTemplates)", "ec2:DescribeLaunchTemplates", "*"),
		},
		cannot: []proofCase{
			pc("read an untagged instance's user data (DescribeInstanceAttribute)", "ec2:DescribeInstanceAttribute", instance),
			pc("read launch configurations' user data (DescribeLaunchConfigurations)", "autoscaling:DescribeLaunchConfigurations", "*"),
			pc("read Run Command output (ListCommandInvocations)", "ssm:ListCommandInvocations", "*"),
			pc("read launch template versions' user data (DescribeLaunchTemplateVersions)", "ec2:DescribeLaunchTemplateVersions", "*"),
			pc("read an untagged instance's console output (GetConsoleOutput)", "ec2:GetConsoleOutput", instance),
		},
	},
	{
		classes: []GrantClass{ClassResourceAccess, ClassNetwork},
		can: []proofCase{
			pc("put security groups on a load balancer (ApplySecurityGroupsToLoadBalancer)", "elasticloadbalancing:ApplySecurityGroupsToLoadBalancer", webLB),
		},
		cannot: []proofCase{
			pc("change what a Client VPN's users reach (ApplySecurityGroupsToClientVpnTargetNetwork)", "ec2:ApplySecurityGroupsToClientVpnTargetNetwork",
				"arn:aws:ec2:"+use1+"client-vpn-endpoint/cvpn-endpoint-0aaa"),
			pc("let CloudWatch Logs deliver a load balancer's logs (AllowVendedLogDeliveryForResource)", "elasticloadbalancing:AllowVendedLogDeliveryForResource", "*"),
			pc("detach a shared trust store from another account's load balancer (DeleteSharedTrustStoreAssociation)",
				"elasticloadbalancing:DeleteSharedTrustStoreAssociation", "arn:aws:elasticloadbalancing:"+use1+"truststore/shared/0a1b2c3d"),
		},
	},
	// Reclassified (granttable.go): saved queries and new flow logs are writes; what a flow log's
	// delivery out of the account needs stays audit-and-detection and is not granted.
	{
		classes: []GrantClass{ClassWrite, ClassAudit},
		can: []proofCase{
			pc("save a Logs Insights query (PutQueryDefinition)", "logs:PutQueryDefinition", "*"),
			pc("delete a saved Logs Insights query (DeleteQueryDefinition)", "logs:DeleteQueryDefinition", "*"),
			pc("create a flow log of a VPC (CreateFlowLogs)", "ec2:CreateFlowLogs", flowLog),
		},
		cannot: []proofCase{
			pc("deliver flow logs to S3 or Firehose, in any account (CreateLogDelivery)", "logs:CreateLogDelivery", "*"),
		},
	},
	{
		classes: []GrantClass{ClassTagging},
		can: []proofCase{
			pc("tag an Auto Scaling group (CreateOrUpdateTags)", "autoscaling:CreateOrUpdateTags", webASG, "aws:TagKeys", "team", "aws:RequestTag/team", "ops"),
			pc("remove a named tag from any volume (DeleteTags)", "ec2:DeleteTags", volume, "aws:TagKeys", "Name"),
			pc("tag a load balancer (AddTags)", "elasticloadbalancing:AddTags", webLB, "aws:TagKeys", "team"),
		},
		cannot: []proofCase{
			pc("the app tag on a foreign Auto Scaling group (CreateOrUpdateTags)", "autoscaling:CreateOrUpdateTags", webASG,
				"aws:TagKeys", DefaultAppScopeTagKey, "aws:RequestTag/"+DefaultAppScopeTagKey, "acme-app"),
			pc("remove the app tag from an Auto Scaling group (DeleteTags)", "autoscaling:DeleteTags", webASG, "aws:TagKeys", DefaultAppScopeTagKey),
			pc("the app tag on a load balancer (AddTags)", "elasticloadbalancing:AddTags", webLB, "aws:TagKeys", DefaultAppScopeTagKey),
			pc("remove the app tag from a load balancer (RemoveTags)", "elasticloadbalancing:RemoveTags", webLB, "aws:TagKeys", DefaultAppScopeTagKey),
		},
	},
}

func init() {
	t := proofTables[RoleSysAdmins]
	for _, p := range sysAdminClassProofs {
		t.can = slices.Concat(t.can, p.can)
		t.cannot = slices.Concat(t.cannot, p.cannot)
	}
	proofTables[RoleSysAdmins] = t
}

// Each closed class has a can/cannot pair, every case's action belongs to the class it proves (so
// a case cannot prove a class by accident), and the cases are in the SysAdmins proof table that
// TestProofTables evaluates in every context.
func TestProofSysAdminsOpenClasses(t *testing.T) {
	table := proofTables[RoleSysAdmins]
	for _, p := range sysAdminClassProofs {
		if len(p.can) == 0 || len(p.cannot) == 0 {
			t.Errorf("class %v: want at least one can and one cannot case", p.classes)
		}
		for _, c := range slices.Concat(p.can, p.cannot) {
			a, ok := LookupAction(c.action)
			if !ok {
				t.Errorf("%q: %s not in the catalogue", c.what, c.action)
				continue
			}
			if got, _ := ClassifyAction(a); !slices.Contains(p.classes, got) {
				t.Errorf("%q: %s has class %s, not one of %v", c.what, c.action, got, p.classes)
			}
		}
		for _, c := range p.can {
			if !slices.ContainsFunc(table.can, func(x proofCase) bool { return x.what == c.what }) {
				t.Errorf("can case %q is not in the SysAdmins proof table", c.what)
			}
		}
		for _, c := range p.cannot {
			if !slices.ContainsFunc(table.cannot, func(x proofCase) bool { return x.what == c.what }) {
				t.Errorf("cannot case %q is not in the SysAdmins proof table", c.what)
			}
		}
	}
	// The cannot cases hold because of the SysAdmins' grants: with the old grants (ec2 networking,
	// autoscaling:*, cloudwatch:* and logs:* on every resource) they were open.
	old := PolicyDocument{Version: PolicyVersion, Statements: []Statement{allow("Old", []string{
		"autoscaling:*", "cloudwatch:*", "ec2:*Address*", "ec2:*NetworkInterface*", "ec2:*Vpc*", "ec2:CreateTags", "ec2:DeleteTags", "logs:*", "ssm:GetAutomationExecution",
		"ssm:GetCommandInvocation", "ssm:GetDocument",
		// and before the last narrowing: ec2:Describe*, ssm:List*, elasticloadbalancing:*, ec2:*SecurityGroup*.
		"ec2:Describe*", "ssm:List*", "elasticloadbalancing:*", "ec2:*SecurityGroup*",
		// and before the launch template and console output narrowing (ManageAnyInstance).
		"ec2:GetConsoleOutput",
	})}}
	docs := []PolicyDocument{old}
	for _, p := range sysAdminClassProofs {
		for _, c := range p.cannot {
			if !c.allowedIn(docs, c.ctx) {
				t.Errorf("cannot case %q is not open under the old grants: it proves nothing", c.what)
			}
		}
	}
}

// The classes the SysAdmins' grants rely on: the account's own networking is configures-network,
// paths out of the account stay changes-who-can-reach, scaling policies are capacity rules (not
// resource policies), load balancer tags are tags, and unmasking log data is a secret read.
func TestClassifyAction_networkAndMonitoring(t *testing.T) {
	cases := map[string]GrantClass{
		"ec2:AuthorizeSecurityGroupIngress":               ClassNetwork,
		"ec2:CreateRoute":                                 ClassNetwork,
		"ec2:CreateRouteTable":                            ClassNetwork,
		"ec2:CreateNetworkAclEntry":                       ClassNetwork,
		"ec2:AllocateAddress":                             ClassNetwork,
		"elasticloadbalancing:CreateListener":             ClassNetwork,
		"elasticloadbalancing:CreateLoadBalancerPolicy":   ClassNetwork,
		"elasticloadbalancing:AddTags":                    ClassTagging,
		"ec2:CreateVpcPeeringConnection":                  ClassResourceAccess,
		"ec2:CreateVpcEndpoint":                           ClassResourceAccess,
		"ec2:CreateTransitGatewayRoute":                   ClassResourceAccess,
		"ec2:CreateTransitGatewayRouteTable":              ClassResourceAccess,
		"ec2:CreateLocalGatewayRouteTable":                ClassResourceAccess,
		"ec2:EnableAddressTransfer":                       ClassResourceAccess,
		"ec2:CreateNetworkInterfacePermission":            ClassResourceAccess,
		"ec2:ApplySecurityGroupsToClientVpnTargetNetwork": ClassResourceAccess,
		"ec2:EnableVgwRoutePropagation":                   ClassResourceAccess,
		"autoscaling:PutScalingPolicy":                    ClassRunsCode,
		"autoscaling:ExecutePolicy":                       ClassRunsCode,
		"autoscaling:DeletePolicy":                        ClassWrite,
		"logs:Unmask":                                     ClassSecretRead,
	}
	checkClasses(t, cases)
}
