package awsiam

import (
	"errors"
	"fmt"

	"github.com/aws/smithy-go"
)

// NotFoundError says an IAM entity does not exist. Finders return it so that Read can drop the
// resource from state, Delete can treat it as success and tests can check destruction.
type NotFoundError struct {
	Kind string // "IAM user", "IAM group", ...
	Name string
	Err  error
}

func (e *NotFoundError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s (%s) not found: %v", e.Kind, e.Name, e.Err)
	}
	return fmt.Sprintf("%s (%s) not found", e.Kind, e.Name)
}

func (e *NotFoundError) Unwrap() error { return e.Err }

// IsNotFound is true for a NotFoundError or an IAM NoSuchEntity error anywhere in the chain.
func IsNotFound(err error) bool {
	var nf *NotFoundError
	if errors.As(err, &nf) {
		return true
	}
	return ErrorCode(err) == "NoSuchEntity"
}

// ErrorCode returns the AWS error code of err, or "".
func ErrorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// HasCode is true when err carries one of the given AWS error codes.
func HasCode(err error, codes ...string) bool {
	code := ErrorCode(err)
	if code == "" {
		return false
	}
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

// notFound wraps a NoSuchEntity error as a NotFoundError and passes other errors through.
func notFound(kind, name string, err error) error {
	if err != nil && ErrorCode(err) == "NoSuchEntity" {
		return &NotFoundError{Kind: kind, Name: name, Err: err}
	}
	return err
}
