package awsactivity

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
)

// applyBucket creates the trail's bucket when the resource owns it and it does not exist (public
// access blocked, encrypted, versioned, with the lifecycle), and puts the CloudTrail bucket policy
// when the bucket's differs. An existing bucket named by the user gets only the policy check.
func (c *Client) applyBucket(ctx context.Context, spec Spec, cur *State) error {
	b := aws.String(spec.Bucket)
	if spec.ManageBucket && !cur.BucketExists {
		in := &s3.CreateBucketInput{Bucket: b}
		if c.region != "" && c.region != "us-east-1" {
			in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(c.region)}
		}
		if _, err := c.s3.CreateBucket(ctx, in); err != nil && !awscore.HasCode(err, "BucketAlreadyOwnedByYou") {
			return fmt.Errorf("creating S3 bucket (%s): %w", spec.Bucket, err)
		}
		if _, err := c.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: b,
			PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
				BlockPublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), IgnorePublicAcls: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true),
			}}); err != nil {
			return fmt.Errorf("blocking public access to S3 bucket (%s): %w", spec.Bucket, err)
		}
		rule := s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256}
		if spec.KMSKeyARN != "" {
			rule = s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(spec.KMSKeyARN)}
		}
		if _, err := c.s3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b,
			ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &rule, BucketKeyEnabled: aws.Bool(spec.KMSKeyARN != ""),
			}}}}); err != nil {
			return fmt.Errorf("encrypting S3 bucket (%s): %w", spec.Bucket, err)
		}
		if _, err := c.s3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b,
			VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
			return fmt.Errorf("enabling versioning of S3 bucket (%s): %w", spec.Bucket, err)
		}
		l := spec.Lifecycle
		if _, err := c.s3.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: b,
			LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: []s3types.LifecycleRule{{
				ID: aws.String("iambaseline-trail-logs"), Status: s3types.ExpirationStatusEnabled,
				Filter: &s3types.LifecycleRuleFilter{Prefix: aws.String("")},
				Transitions: []s3types.Transition{
					{Days: aws.Int32(l.InfrequentAccessAfterDays), StorageClass: s3types.TransitionStorageClassStandardIa},
					{Days: aws.Int32(l.GlacierAfterDays), StorageClass: s3types.TransitionStorageClassGlacier},
				},
				Expiration:                  &s3types.LifecycleExpiration{Days: aws.Int32(l.ExpireAfterDays)},
				NoncurrentVersionExpiration: &s3types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(l.NoncurrentExpireAfterDays)},
			}}}}); err != nil {
			return fmt.Errorf("setting the lifecycle of S3 bucket (%s): %w", spec.Bucket, err)
		}
		if err := c.putBucketTags(ctx, spec.Bucket, spec.Tags); err != nil {
			return err
		}
		cur.BucketExists = true
	}
	if !cur.BucketExists {
		return fmt.Errorf("S3 bucket (%s) not found: with use_existing_bucket = true, s3_bucket_name must name an existing bucket", spec.Bucket)
	}
	if !equivalent(cur.BucketPolicy, spec.BucketPolicy) {
		if _, err := c.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(spec.BucketPolicy)}); err != nil {
			return fmt.Errorf("putting the CloudTrail policy on S3 bucket (%s): %w", spec.Bucket, err)
		}
	}
	return nil
}

func (c *Client) putBucketTags(ctx context.Context, bucket string, tags map[string]string) error {
	var err error
	if len(tags) == 0 {
		_, err = c.s3.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String(bucket)})
	} else {
		set := make([]s3types.Tag, 0, len(tags))
		for _, k := range slices.Sorted(maps.Keys(tags)) {
			set = append(set, s3types.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
		}
		_, err = c.s3.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(bucket), Tagging: &s3types.Tagging{TagSet: set}})
	}
	if err != nil {
		return fmt.Errorf("tagging S3 bucket (%s): %w", bucket, err)
	}
	return nil
}

// deleteBucket deletes the bucket when it is empty, or, with force, after deleting every object
// version. A bucket that holds logs without force is kept: its name is returned.
func (c *Client) deleteBucket(ctx context.Context, bucket string, force bool) (string, error) {
	b := aws.String(bucket)
	pages := s3.NewListObjectVersionsPaginator(c.s3, &s3.ListObjectVersionsInput{Bucket: b})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if awscore.HasCode(err, "NoSuchBucket") {
			return "", nil
		}
		if err != nil {
			return "", fmt.Errorf("listing objects of S3 bucket (%s): %w", bucket, err)
		}
		var ids []s3types.ObjectIdentifier
		for _, v := range page.Versions {
			ids = append(ids, s3types.ObjectIdentifier{Key: v.Key, VersionId: v.VersionId})
		}
		for _, m := range page.DeleteMarkers {
			ids = append(ids, s3types.ObjectIdentifier{Key: m.Key, VersionId: m.VersionId})
		}
		if len(ids) == 0 {
			continue
		}
		if !force {
			return bucket, nil
		}
		if _, err := c.s3.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: b, Delete: &s3types.Delete{Objects: ids, Quiet: aws.Bool(true)}}); err != nil {
			return "", fmt.Errorf("emptying S3 bucket (%s): %w", bucket, err)
		}
	}
	if _, err := c.s3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b}); err != nil && !awscore.HasCode(err, "NoSuchBucket") {
		return "", fmt.Errorf("deleting S3 bucket (%s): %w", bucket, err)
	}
	return "", nil
}
