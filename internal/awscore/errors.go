package awscore

import (
	"errors"
	"fmt"
	"slices"

	"github.com/aws/smithy-go"
)

// NotFoundError says an AWS entity does not exist. Finders return it so that Read can drop the
// resource from state, Delete can treat it as success and tests can check destruction.
type NotFoundError struct {
	Kind string // "IAM user", "CloudTrail trail", ...
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

// IsNotFound is true for a *NotFoundError anywhere in the chain, or an AWS error carrying one of
// codes (the service's own ways of saying "no such thing").
func IsNotFound(err error, codes ...string) bool {
	var nf *NotFoundError
	return errors.As(err, &nf) || HasCode(err, codes...)
}

// NotFound wraps an error carrying one of codes as a *NotFoundError of kind and name, and passes
// other errors (and nil) through.
func NotFound(kind, name string, err error, codes ...string) error {
	if err != nil && HasCode(err, codes...) {
		return &NotFoundError{Kind: kind, Name: name, Err: err}
	}
	return err
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
	return code != "" && slices.Contains(codes, code)
}
