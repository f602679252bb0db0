package baseline

import "fmt"

// RoleARN is the ARN IAM gives a role of that name and path.
func RoleARN(partition, accountID, path, name string) string {
	return fmt.Sprintf("arn:%s:iam::%s:role%s%s", partitionOrDefault(partition), accountID, path, name)
}

// InstanceProfileARN is the ARN IAM gives an instance profile of that name and path.
func InstanceProfileARN(partition, accountID, path, name string) string {
	return fmt.Sprintf("arn:%s:iam::%s:instance-profile%s%s", partitionOrDefault(partition), accountID, path, name)
}
