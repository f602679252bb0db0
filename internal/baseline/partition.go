package baseline

import (
	"fmt"
	"strings"
)

// Partition-aware names: every ARN and URL the provider builds depends on the partition of the
// account (aws, aws-cn, aws-us-gov), which the region tells.

// PartitionForRegion is the AWS partition of a region: aws-cn for cn-*, aws-us-gov for us-gov-*,
// else aws.
func PartitionForRegion(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	default:
		return DefaultPartition
	}
}

func partitionOrDefault(partition string) string {
	if partition == "" {
		return DefaultPartition
	}
	return partition
}

// GroupARN is the ARN IAM gives a group of that name and path.
func GroupARN(partition, accountID, path, name string) string {
	return fmt.Sprintf("arn:%s:iam::%s:group%s%s", partitionOrDefault(partition), accountID, path, name)
}

// PolicyARN is the ARN IAM gives a customer managed policy of that name and path.
func PolicyARN(partition, accountID, path, name string) string {
	return fmt.Sprintf("arn:%s:iam::%s:policy%s%s", partitionOrDefault(partition), accountID, path, name)
}

// AccountRootARN is the principal ARN of a whole account, the form IAM stores a trusted account in.
func AccountRootARN(partition, accountID string) string {
	return "arn:" + partitionOrDefault(partition) + ":iam::" + accountID + ":root"
}

// ARNAccount is the account ID field of an ARN, or "" when s is not an ARN.
func ARNAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// ConsoleSignInURL is the account's console sign-in page in its partition: the commercial
// signin.aws.amazon.com, China's signin.amazonaws.cn, GovCloud's signin.amazonaws-us-gov.com.
func ConsoleSignInURL(partition, accountID string) string {
	switch partition {
	case "aws-cn":
		return fmt.Sprintf("https://%s.signin.amazonaws.cn/console", accountID)
	case "aws-us-gov":
		return fmt.Sprintf("https://%s.signin.amazonaws-us-gov.com/console", accountID)
	default:
		return fmt.Sprintf("https://%s.signin.aws.amazon.com/console", accountID)
	}
}
