package awsiam

import (
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
)

// NotFoundError says an IAM entity does not exist (awscore's, shared by every AWS package).
type NotFoundError = awscore.NotFoundError

// codeNoSuchEntity is IAM's answer for a missing entity.
const codeNoSuchEntity = "NoSuchEntity"

// IsNotFound is true for a NotFoundError or an IAM NoSuchEntity error anywhere in the chain.
func IsNotFound(err error) bool { return awscore.IsNotFound(err, codeNoSuchEntity) }

// ErrorCode returns the AWS error code of err, or "".
func ErrorCode(err error) string { return awscore.ErrorCode(err) }

// HasCode is true when err carries one of the given AWS error codes.
func HasCode(err error, codes ...string) bool { return awscore.HasCode(err, codes...) }

// notFound wraps a NoSuchEntity error as a NotFoundError and passes other errors through.
func notFound(kind, name string, err error) error {
	return awscore.NotFound(kind, name, err, codeNoSuchEntity)
}
