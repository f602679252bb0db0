package awsiam

import (
	"context"
	"fmt"
	"maps"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// MaxPolicyVersions is IAM's quota of versions per customer managed policy.
const MaxPolicyVersions = 5

// PolicyARN is the ARN IAM gives a customer managed policy of that name and path.
func PolicyARN(partition, accountID, path, name string) string {
	return baseline.PolicyARN(partition, accountID, path, name)
}

// CustomerManagedPolicy is a customer managed policy with the document of its default version.
type CustomerManagedPolicy struct {
	Policy   *types.Policy
	Document string // URL-decoded JSON
}

// FindCustomerManagedPolicy returns the policy and its default version's document, or a *NotFoundError.
func (c *Client) FindCustomerManagedPolicy(ctx context.Context, arn string) (*CustomerManagedPolicy, error) {
	out, err := c.iamAPI.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	if err != nil {
		return nil, notFound("IAM policy", arn, err)
	}
	v, err := c.iamAPI.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: out.Policy.DefaultVersionId})
	if err != nil {
		return nil, notFound("IAM policy", arn, err)
	}
	doc, err := DecodePolicyDocument(aws.ToString(v.PolicyVersion.Document))
	if err != nil {
		return nil, err
	}
	return &CustomerManagedPolicy{Policy: out.Policy, Document: doc}, nil
}

// DecodePolicyDocument undoes the URL-encoding (RFC 3986, so "+" stays "+") IAM applies to policy
// documents it returns; see baseline.DecodePolicyDocument, the one decoding.
func DecodePolicyDocument(doc string) (string, error) {
	return baseline.DecodePolicyDocument(doc), nil
}

// CreatePolicy creates a customer managed policy with tags and returns it.
func (c *Client) CreatePolicy(ctx context.Context, name, path, description, document string, tags map[string]string) (*Policy, error) {
	// The create marker goes with the policy (baseline.CheckAdoptable); the caller removes it with
	// ClearPolicyCreateMarker once its whole create has succeeded.
	marked := maps.Clone(tags)
	if marked == nil {
		marked = map[string]string{}
	}
	markerKey, markerValue := createMarker("")
	marked[markerKey] = markerValue
	in := &iam.CreatePolicyInput{
		PolicyName:     aws.String(name),
		Path:           aws.String(path),
		PolicyDocument: aws.String(document),
		Tags:           tagList(marked),
	}
	if description != "" {
		in.Description = aws.String(description)
	}
	p, err := createOnce(ctx, alreadyExists, func(ctx context.Context) (*types.Policy, error) {
		out, err := RetryOnModify(ctx, func(ctx context.Context) (*iam.CreatePolicyOutput, error) {
			return c.iamAPI.CreatePolicy(ctx, in)
		})
		if err != nil {
			return nil, err
		}
		return out.Policy, nil
	}, func(ctx context.Context) (*types.Policy, bool, error) {
		return c.policyIsOurs(ctx, name, path, description, document, tagMap(in.Tags))
	})
	if err != nil {
		return nil, explainLimit(err, OpCreatePolicy, fmt.Sprintf("creating IAM policy (%s)", name), name, "")
	}
	c.markFresh(policyRef(aws.ToString(p.Arn)))
	return policyFrom(p), nil
}

// CreatePolicyVersion makes document the policy's new default version. When the policy already has
// the maximum of five versions, the oldest version that is not the default is deleted first.
func (c *Client) CreatePolicyVersion(ctx context.Context, arn, document string) error {
	versions, err := c.listPolicyVersions(ctx, arn)
	if err != nil {
		return fmt.Errorf("listing versions of IAM policy (%s): %w", arn, err)
	}
	if len(versions) >= MaxPolicyVersions {
		if oldest := oldestNonDefaultVersion(versions); oldest != "" {
			if err := c.deletePolicyVersion(ctx, arn, oldest); err != nil {
				return err
			}
		}
	}
	// A retry after a lost answer makes one more version (pruned by the next update), or, when the
	// lost attempt filled the quota, fails with LimitExceeded: then the default version holding
	// the document shows that the lost attempt did the job.
	_, err = createOnce(ctx, []string{"LimitExceeded"}, func(ctx context.Context) (*iam.CreatePolicyVersionOutput, error) {
		return retryWrite(ctx, c, func(ctx context.Context) (*iam.CreatePolicyVersionOutput, error) {
			return c.iamAPI.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{
				PolicyArn: aws.String(arn), PolicyDocument: aws.String(document), SetAsDefault: true,
			})
		}, policyRef(arn))
	}, func(ctx context.Context) (*iam.CreatePolicyVersionOutput, bool, error) {
		p, err := c.FindCustomerManagedPolicy(ctx, arn)
		if err != nil {
			return nil, false, err
		}
		return &iam.CreatePolicyVersionOutput{}, equivalentDocuments(p.Document, document), nil
	})
	if err != nil {
		return explainLimit(err, OpCreatePolicyVersion, fmt.Sprintf("creating a new default version of IAM policy (%s)", arn), arn, "")
	}
	return nil
}

// oldestNonDefaultVersion returns the ID of the oldest version that is not the default, or "".
// Versions without a creation date sort by their ID (v1 < v2 < ... < v10).
func oldestNonDefaultVersion(versions []types.PolicyVersion) string {
	candidates := make([]types.PolicyVersion, 0, len(versions))
	for _, v := range versions {
		if !v.IsDefaultVersion {
			candidates = append(candidates, v)
		}
	}
	if len(candidates) == 0 {
		return ""
	}
	sort.SliceStable(candidates, func(i, j int) bool {
		a, b := candidates[i], candidates[j]
		if a.CreateDate != nil && b.CreateDate != nil && !a.CreateDate.Equal(*b.CreateDate) {
			return a.CreateDate.Before(*b.CreateDate)
		}
		return versionNumber(aws.ToString(a.VersionId)) < versionNumber(aws.ToString(b.VersionId))
	})
	return aws.ToString(candidates[0].VersionId)
}

func versionNumber(id string) int {
	n := 0
	for _, r := range id {
		if r >= '0' && r <= '9' {
			n = n*10 + int(r-'0')
		}
	}
	return n
}

func (c *Client) listPolicyVersions(ctx context.Context, arn string) ([]types.PolicyVersion, error) {
	p := iam.NewListPolicyVersionsPaginator(c.iamAPI, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)})
	versions, err := awscore.Collect(ctx, p, func(page *iam.ListPolicyVersionsOutput) []types.PolicyVersion { return page.Versions })
	return versions, notFound("IAM policy", arn, err)
}

func (c *Client) deletePolicyVersion(ctx context.Context, arn, versionID string) error {
	return removeOrGone(ctx, fmt.Sprintf("deleting version %s of IAM policy (%s)", versionID, arn), func(ctx context.Context) (*iam.DeletePolicyVersionOutput, error) {
		return c.iamAPI.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String(versionID)})
	})
}

// FindPolicyTags returns the tags of a customer managed policy.
func (c *Client) FindPolicyTags(ctx context.Context, arn string) (map[string]string, error) {
	p := iam.NewListPolicyTagsPaginator(c.iamAPI, &iam.ListPolicyTagsInput{PolicyArn: aws.String(arn)})
	tags, err := awscore.Collect(ctx, p, func(page *iam.ListPolicyTagsOutput) []types.Tag { return page.Tags })
	if err != nil {
		return nil, notFound("IAM policy", arn, err)
	}
	return tagMap(tags), nil
}

// UpdatePolicyTags moves a policy's tags from old to updated with the fewest calls.
func (c *Client) UpdatePolicyTags(ctx context.Context, arn string, old, updated map[string]string) error {
	return syncTags(ctx, c, policyRef(arn), old, updated, fmt.Sprintf("untagging IAM policy (%s)", arn), func(ctx context.Context, keys []string) (*iam.UntagPolicyOutput, error) {
		return c.iamAPI.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: aws.String(arn), TagKeys: keys})
	}, explained{OpTagPolicy, fmt.Sprintf("tagging IAM policy (%s)", arn), arn, ""}, func(ctx context.Context, tags []types.Tag) (*iam.TagPolicyOutput, error) {
		return c.iamAPI.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(arn), Tags: tags})
	})
}
