package awsiam

import (
	"errors"
	"net/http"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// A user counts as new only for the client that created it: another provider process (another
// Terraform command) that misses it in the snapshot must see it as gone, not wait for propagation.
func TestUserIsNewPerClient(t *testing.T) {
	a, b := &Client{}, &Client{}
	a.markUserNew("ada")
	if !a.UserIsNew("ada") {
		t.Fatal("the creating client does not see the user as new")
	}
	if b.UserIsNew("ada") {
		t.Fatal("another client sees the user as new")
	}
}

func TestUnsupportedOperation(t *testing.T) {
	bare500 := &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 500}}, Err: errors.New("deserialization failed"),
	}}
	if !unsupportedOperation(bare500) {
		t.Error("a bare 500 without an AWS error (moto's answer to an unknown action) is not taken as unsupported")
	}
	coded := &smithy.GenericAPIError{Code: "ServiceFailure", Message: "x"}
	if unsupportedOperation(coded) {
		t.Error("a real AWS ServiceFailure is taken as unsupported")
	}
	if !unsupportedOperation(&smithy.GenericAPIError{Code: "InvalidAction"}) {
		t.Error("InvalidAction is not taken as unsupported")
	}
}

func TestAttachmentsDescribe(t *testing.T) {
	a := &UserAttachments{AccessKeys: []string{"AKIA1"}, MFADevices: []MFADevice{{SerialNumber: "arn:aws:iam::1:mfa/ada", Virtual: true}}}
	if a.Empty() {
		t.Fatal("not empty")
	}
	if got := a.Describe(); got != "access keys: AKIA1; MFA devices: arn:aws:iam::1:mfa/ada" {
		t.Fatal(got)
	}
	if !isVirtualMFASerial("arn:aws:iam::123456789012:mfa/ada") || isVirtualMFASerial("GAHT12345678") || isVirtualMFASerial("arn:aws:iam::123456789012:u2f/user/ada/key") {
		t.Fatal("virtual MFA serial detection")
	}
}
