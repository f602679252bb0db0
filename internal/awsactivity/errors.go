package awsactivity

import (
	"context"
	"time"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
)

// Kinds of NotFoundError this package returns.
const (
	KindTrail        = "CloudTrail trail"
	KindLogGroup     = "CloudWatch Logs log group"
	KindTopic        = "SNS topic"
	KindBucket       = "S3 bucket"
	KindBucketPolicy = "S3 bucket policy"
)

// notFoundCodes are the error codes with which the services say something does not exist.
var notFoundCodes = []string{
	"TrailNotFoundException", "CloudTrailARNInvalidException", "ResourceNotFoundException", "NotFound", "NotFoundException",
	"NoSuchBucket", "NoSuchBucketPolicy", "NoSuchEntity",
}

// notFound wraps a not-found answer as an awscore.NotFoundError and passes other errors through.
func notFound(kind, name string, err error) error {
	return awscore.NotFound(kind, name, err, notFoundCodes...)
}

// IsNotFound is true when err says the thing does not exist.
func IsNotFound(err error) bool { return awscore.IsNotFound(err, notFoundCodes...) }

// PropagationTimeout bounds the wait for what CloudTrail checks at CreateTrail/UpdateTrail (a
// delivery role or a bucket policy created moments ago) to become visible to it.
const PropagationTimeout = 2 * time.Minute

// propagationCodes are the answers of CloudTrail while a new role or policy has not propagated.
var propagationCodes = []string{
	"InsufficientCloudWatchLogsDeliveryPolicyException", "InvalidCloudWatchLogsRoleArnException",
	"InvalidCloudWatchLogsLogGroupArnException", "InsufficientS3BucketPolicyException", "InsufficientSnsTopicPolicyException",
	"S3BucketDoesNotExistException",
}

// propagationBackoff bounds the retries of retryPropagation; tests shorten Start.
var propagationBackoff = awscore.Backoff{Start: 500 * time.Millisecond, Max: 5 * time.Second, Window: PropagationTimeout}

// retryPropagation calls fn until it succeeds, fails with another error, the propagation window
// passes or ctx is cancelled.
func retryPropagation[T any](ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	return awscore.Retry(ctx, propagationBackoff, awscore.OnCodes(propagationCodes...), fn)
}
