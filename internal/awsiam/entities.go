package awsiam

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// What this package hands out: its own types, never the SDK's. The conversions from SDK types
// live here and next to the reads that need them.

// Group is an IAM group as a create or a find returns it.
type Group struct {
	Name, Path, ARN string
}

// Policy is a customer managed policy as a create returns it.
type Policy struct {
	Name, Path, ARN string
}

func groupFrom(g *types.Group) *Group {
	if g == nil {
		return nil
	}
	return &Group{Name: aws.ToString(g.GroupName), Path: aws.ToString(g.Path), ARN: aws.ToString(g.Arn)}
}

func policyFrom(p *types.Policy) *Policy {
	if p == nil {
		return nil
	}
	return &Policy{Name: aws.ToString(p.PolicyName), Path: aws.ToString(p.Path), ARN: aws.ToString(p.Arn)}
}
