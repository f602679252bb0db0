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
func sysAdminStatements(o Options) []Statement {
	stmts := []Statement{
		allow("ManageAnyInstance", []string{
			"autoscaling:*",
			"ec2:CreateKeyPair",
			"ec2:CreateLaunchTemplate",
			"ec2:CreateTags",
			"ec2:DeleteKeyPair",
			"ec2:DeleteTags",
			"ec2:Describe*",
			"ec2:GetConsoleOutput",
			"ec2:ImportKeyPair",
			"ec2:MonitorInstances",
			"ec2:RebootInstances",
			"ec2:StartInstances",
			"ec2:StopInstances",
			"ec2:TerminateInstances",
			"ec2:UnmonitorInstances",
		}),
		// Instances need not carry the app tag; the image they start from is checked below.
		allow("LaunchAnyInstance", []string{"ec2:RunInstances"},
			ec2ARN(o.Partition, "instance/*"),
			ec2ARN(o.Partition, "volume/*"),
		),
	}
	stmts = append(stmts, appEC2Statements(o)...)
	return append(stmts,
		allow("ConfigureNetworking", []string{
			"acm:DescribeCertificate",
			"acm:ListCertificates",
			"ec2:*Address*",
			"ec2:*DhcpOptions*",
			"ec2:*FlowLogs",
			"ec2:*InternetGateway*",
			"ec2:*NatGateway*",
			"ec2:*NetworkAcl*",
			"ec2:*NetworkInterface*",
			"ec2:*RouteTable*",
			"ec2:*SecurityGroup*",
			"ec2:*Subnet*",
			"ec2:*Vpc*",
			"ec2:CreateRoute",
			"ec2:DeleteRoute",
			"ec2:ReplaceRoute",
			"elasticloadbalancing:*",
		}),
		allow("MonitorSystems", slices.Concat([]string{
			"cloudwatch:*",
			"logs:*",
			"sns:ListTopics",
		}, ssmReadActions)),
		allow("PassAppRoles", []string{"iam:PassRole"}, passRoleARN(o.Partition, o.AppScope.RolePath)),
	)
}

// ssmReadActions read Systems Manager state without parameter values or command shells.
var ssmReadActions = []string{
	"ssm:Describe*",
	"ssm:GetAutomationExecution",
	"ssm:GetCommandInvocation",
	"ssm:GetConnectionStatus",
	"ssm:GetDefaultPatchBaseline",
	"ssm:GetDocument",
	"ssm:GetInventory",
	"ssm:GetInventorySchema",
	"ssm:GetMaintenanceWindow*",
	"ssm:GetOpsSummary",
	"ssm:GetPatchBaseline*",
	"ssm:GetServiceSetting",
	"ssm:List*",
}
