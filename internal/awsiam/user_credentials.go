package awsiam

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
)

// MFADevice is one MFA device assigned to a user.
type MFADevice struct {
	SerialNumber string
	Virtual      bool // virtual devices are deleted, not only deactivated, by force_destroy
}

// ListUserMFADevices returns every MFA device of the user (virtual, hardware and FIDO).
func (c *Client) ListUserMFADevices(ctx context.Context, name string) ([]MFADevice, error) {
	p := iam.NewListMFADevicesPaginator(c.iamAPI, &iam.ListMFADevicesInput{UserName: aws.String(name)})
	out, err := awscore.Collect(ctx, p, func(page *iam.ListMFADevicesOutput) []MFADevice {
		return awscore.Each(page.MFADevices, func(d types.MFADevice) MFADevice {
			serial := aws.ToString(d.SerialNumber)
			return MFADevice{SerialNumber: serial, Virtual: isVirtualMFASerial(serial)}
		})
	})
	if err != nil {
		return nil, notFound(kindUser, name, fmt.Errorf("listing MFA devices of IAM user (%s): %w", name, err))
	}
	return out, nil
}

// Virtual MFA devices are named by an ARN "arn:aws:iam::123456789012:mfa/name"; hardware tokens by
// their serial and FIDO keys by an ARN under u2f/.
func isVirtualMFASerial(serial string) bool {
	return strings.HasPrefix(serial, "arn:") && strings.Contains(serial, ":mfa/")
}

// AccessKey is one access key of a user.
type AccessKey struct {
	ID     string
	Active bool
}

// ListAccessKeys returns the user's access keys.
func (c *Client) ListAccessKeys(ctx context.Context, name string) ([]AccessKey, error) {
	p := iam.NewListAccessKeysPaginator(c.iamAPI, &iam.ListAccessKeysInput{UserName: aws.String(name)})
	out, err := awscore.Collect(ctx, p, func(page *iam.ListAccessKeysOutput) []AccessKey {
		return awscore.Each(page.AccessKeyMetadata, func(k types.AccessKeyMetadata) AccessKey {
			return AccessKey{ID: aws.ToString(k.AccessKeyId), Active: k.Status == types.StatusTypeActive}
		})
	})
	if err != nil {
		return nil, notFound(kindUser, name, fmt.Errorf("listing access keys of IAM user (%s): %w", name, err))
	}
	return out, nil
}

// DeactivateAccessKeys sets every active access key of the user inactive (suspension) and returns
// how many it changed.
func (c *Client) DeactivateAccessKeys(ctx context.Context, name string) (int, error) {
	keys, err := c.ListAccessKeys(ctx, name)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, k := range keys {
		if !k.Active {
			continue
		}
		_, err := RetryOnModify(ctx, func(ctx context.Context) (*iam.UpdateAccessKeyOutput, error) {
			return c.iamAPI.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{
				UserName: aws.String(name), AccessKeyId: aws.String(k.ID), Status: types.StatusTypeInactive,
			})
		})
		if err != nil {
			return n, fmt.Errorf("deactivating access key %s of IAM user (%s): %w", k.ID, name, err)
		}
		n++
	}
	return n, nil
}

// UserAttachments is everything attached to a user that blocks DeleteUser and that the
// onboarded-user resource does not create itself.
type UserAttachments struct {
	AccessKeys                 []string
	MFADevices                 []MFADevice
	SSHPublicKeys              []string
	SigningCertificates        []string
	ServiceSpecificCredentials []ServiceCredential
	InlinePolicies             []string
	AttachedPolicies           []string // ARNs
}

// ServiceCredential identifies a service-specific credential (CodeCommit, Keyspaces, ...).
type ServiceCredential struct {
	ID          string
	ServiceName string
}

// Empty is true when nothing is attached.
func (a *UserAttachments) Empty() bool {
	return len(a.AccessKeys)+len(a.MFADevices)+len(a.SSHPublicKeys)+len(a.SigningCertificates)+
		len(a.ServiceSpecificCredentials)+len(a.InlinePolicies)+len(a.AttachedPolicies) == 0
}

// Describe names what is attached, for an error that tells the user what blocks a destroy.
func (a *UserAttachments) Describe() string {
	var parts []string
	add := func(what string, items []string) {
		if len(items) > 0 {
			parts = append(parts, fmt.Sprintf("%s: %s", what, strings.Join(items, ", ")))
		}
	}
	add("access keys", a.AccessKeys)
	var mfa []string
	for _, d := range a.MFADevices {
		mfa = append(mfa, d.SerialNumber)
	}
	add("MFA devices", mfa)
	add("SSH public keys", a.SSHPublicKeys)
	add("signing certificates", a.SigningCertificates)
	var creds []string
	for _, s := range a.ServiceSpecificCredentials {
		creds = append(creds, s.ID+" ("+s.ServiceName+")")
	}
	add("service-specific credentials", creds)
	add("inline policies", a.InlinePolicies)
	add("attached managed policies", a.AttachedPolicies)
	return strings.Join(parts, "; ")
}

// unsupportedOperation is true for the answer of an endpoint that does not implement an action:
// an AWS error code saying so, or (moto) a server error whose body is not an AWS error at all. Such
// an endpoint cannot hold anything of that kind either. A real AWS server error carries an error
// code and is not taken for this.
func unsupportedOperation(err error) bool {
	if HasCode(err, "InvalidAction", "NotImplemented", "UnknownOperationException") {
		return true
	}
	var re *awshttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() >= 500 && ErrorCode(err) == ""
}

// ListUserAttachments inventories the user's credentials and policies (7 list requests).
func (c *Client) ListUserAttachments(ctx context.Context, name string) (*UserAttachments, error) {
	a := &UserAttachments{}
	keys, err := c.ListAccessKeys(ctx, name)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		a.AccessKeys = append(a.AccessKeys, k.ID)
	}
	if a.MFADevices, err = c.ListUserMFADevices(ctx, name); err != nil {
		return nil, err
	}
	wrap := func(what string, err error) error {
		return notFound(kindUser, name, fmt.Errorf("listing %s of IAM user (%s): %w", what, name, err))
	}
	ssh := iam.NewListSSHPublicKeysPaginator(c.iamAPI, &iam.ListSSHPublicKeysInput{UserName: aws.String(name)})
	if a.SSHPublicKeys, err = awscore.Collect(ctx, ssh, func(page *iam.ListSSHPublicKeysOutput) []string {
		return awscore.Each(page.SSHPublicKeys, func(k types.SSHPublicKeyMetadata) string { return aws.ToString(k.SSHPublicKeyId) })
	}); err != nil {
		return nil, wrap("SSH public keys", err)
	}
	certs := iam.NewListSigningCertificatesPaginator(c.iamAPI, &iam.ListSigningCertificatesInput{UserName: aws.String(name)})
	if a.SigningCertificates, err = awscore.Collect(ctx, certs, func(page *iam.ListSigningCertificatesOutput) []string {
		return awscore.Each(page.Certificates, func(cert types.SigningCertificate) string { return aws.ToString(cert.CertificateId) })
	}); err != nil {
		return nil, wrap("signing certificates", err)
	}
	// Retried here, on AWS error codes only, not by the SDK: an endpoint without this action (moto)
	// answers a bare 500 that the SDK would retry for nothing.
	a.ServiceSpecificCredentials, err = c.listServiceSpecificCredentials(ctx, name)
	switch {
	case err == nil:
	case unsupportedOperation(err):
		// moto does not implement service-specific credentials: none can exist there.
	default:
		return nil, wrap("service-specific credentials", err)
	}
	inline := iam.NewListUserPoliciesPaginator(c.iamAPI, &iam.ListUserPoliciesInput{UserName: aws.String(name)})
	if a.InlinePolicies, err = awscore.Collect(ctx, inline, func(page *iam.ListUserPoliciesOutput) []string { return page.PolicyNames }); err != nil {
		return nil, wrap("inline policies", err)
	}
	attached := iam.NewListAttachedUserPoliciesPaginator(c.iamAPI, &iam.ListAttachedUserPoliciesInput{UserName: aws.String(name)})
	if a.AttachedPolicies, err = awscore.Collect(ctx, attached, func(page *iam.ListAttachedUserPoliciesOutput) []string { return attachedARNs(page.AttachedPolicies) }); err != nil {
		return nil, wrap("attached policies", err)
	}
	return a, nil
}

// RemoveUserAttachments deletes everything ListUserAttachments found (force_destroy). NoSuchEntity
// on any item is success: it is already gone.
func (c *Client) RemoveUserAttachments(ctx context.Context, name string, a *UserAttachments) error {
	u := aws.String(name)
	steps := []func() error{
		func() error {
			return removeEach(a.AccessKeys, func(id string) error {
				_, err := c.iamAPI.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: u, AccessKeyId: aws.String(id)})
				return goneOr(err, "deleting access key %s of IAM user (%s)", id, name)
			})
		},
		func() error {
			return removeEach(a.MFADevices, func(d MFADevice) error {
				_, err := c.iamAPI.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: u, SerialNumber: aws.String(d.SerialNumber)})
				if err := goneOr(err, "deactivating MFA device %s of IAM user (%s)", d.SerialNumber, name); err != nil || !d.Virtual {
					return err
				}
				_, err = c.iamAPI.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(d.SerialNumber)})
				return goneOr(err, "deleting virtual MFA device %s of IAM user (%s)", d.SerialNumber, name)
			})
		},
		func() error {
			return removeEach(a.SSHPublicKeys, func(id string) error {
				_, err := c.iamAPI.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: u, SSHPublicKeyId: aws.String(id)})
				return goneOr(err, "deleting SSH public key %s of IAM user (%s)", id, name)
			})
		},
		func() error {
			return removeEach(a.SigningCertificates, func(id string) error {
				_, err := c.iamAPI.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: u, CertificateId: aws.String(id)})
				return goneOr(err, "deleting signing certificate %s of IAM user (%s)", id, name)
			})
		},
		func() error {
			return removeEach(a.ServiceSpecificCredentials, func(s ServiceCredential) error {
				_, err := c.iamAPI.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: u, ServiceSpecificCredentialId: aws.String(s.ID)})
				return goneOr(err, "deleting service-specific credential %s of IAM user (%s)", s.ID, name)
			})
		},
		func() error {
			return removeEach(a.InlinePolicies, func(p string) error {
				_, err := c.iamAPI.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: u, PolicyName: aws.String(p)})
				return goneOr(err, "deleting inline policy %s of IAM user (%s)", p, name)
			})
		},
		func() error {
			return removeEach(a.AttachedPolicies, func(arn string) error {
				_, err := c.iamAPI.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: u, PolicyArn: aws.String(arn)})
				return goneOr(err, "detaching policy %s from IAM user (%s)", arn, name)
			})
		},
	}
	return removeEach(steps, func(step func() error) error { return step() })
}

// goneOr is nil when err is nil or NoSuchEntity (already gone), and otherwise err after the
// description format makes of args.
func goneOr(err error, format string, args ...any) error {
	if err == nil || IsNotFound(err) {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// listServiceSpecificCredentials reads every page of the user's service-specific credentials (the
// SDK has no paginator for it). Each page is retried here, on AWS error codes only, not by the SDK:
// an endpoint without this action (moto) answers a bare 500 that the SDK would retry for nothing.
func (c *Client) listServiceSpecificCredentials(ctx context.Context, name string) ([]ServiceCredential, error) {
	var out []ServiceCredential
	var marker *string
	for {
		page, err := retryWhile(ctx, ModifyTimeout, func(err error) bool {
			return HasCode(err, "Throttling", "ThrottlingException", "RequestLimitExceeded", "ServiceFailure", "InternalFailure", "ServiceUnavailable")
		}, func(ctx context.Context) (*iam.ListServiceSpecificCredentialsOutput, error) {
			return c.iamAPI.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String(name), Marker: marker},
				func(o *iam.Options) { o.RetryMaxAttempts = 1 })
		})
		if err != nil {
			return nil, err
		}
		for _, s := range page.ServiceSpecificCredentials {
			out = append(out, ServiceCredential{ID: aws.ToString(s.ServiceSpecificCredentialId), ServiceName: aws.ToString(s.ServiceName)})
		}
		if !page.IsTruncated || aws.ToString(page.Marker) == "" || aws.ToString(page.Marker) == aws.ToString(marker) {
			return out, nil
		}
		marker = page.Marker
	}
}
