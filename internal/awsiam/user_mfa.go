package awsiam

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Where a refresh learned a user's MFA devices (UserMFA.Source).
const (
	// MFASourceVirtual: the user has a virtual device in the snapshot's ListVirtualMFADevices (fresh).
	MFASourceVirtual = "virtual_mfa_devices"
	// MFASourceReport: the credential report says mfa_active=false. From a report this process
	// generated that is as fresh as a live read; from a reused one (no virtual device either) it is
	// as old as the report: AWS regenerates it at most every 4 hours.
	MFASourceReport = "credential_report"
	// MFASourceListed: ListMFADevices for this user (fresh), because the report says mfa_active=true
	// without a virtual device (a hardware or FIDO key), has no row for the user, or is unavailable.
	MFASourceListed = "list_mfa_devices"
)

// UserMFA is what a refresh knows of one user's MFA.
type UserMFA struct {
	// Serials are the user's MFA device serial numbers, sorted. A user with a virtual device is
	// reported with its virtual devices only: a hardware or FIDO key it has besides is not listed.
	Serials []string
	Source  string
	// ReportError says why the credential report could not be used, when it could not (the answer
	// then came from ListMFADevices).
	ReportError error
}

// FindUserMFA tells which MFA devices a user has, for the refresh, with as few requests as IAM
// allows. The credential report is read once per provider process (see loadCredentialReport), then:
//
//   - a report this process generated is as fresh as a live read: its mfa_active=false answers
//     with no device and no further request; only for a user it shows with mfa_active=true are the
//     snapshot's virtual devices (ListVirtualMFADevices, once for all users) looked at;
//   - with a report found already there (up to 4 hours old), virtual devices come from the
//     snapshot's ListVirtualMFADevices (fresh), and a user without one is taken from the report's
//     mfa_active=false: hardware and FIDO keys added since AWS generated the report show up at its
//     next regeneration;
//   - mfa_active=true without a virtual device (a hardware or FIDO key, which no bulk API lists), no
//     row for the user (created after the report), a row of an older user of the same name, or no
//     report at all (AccessDenied, ...) cost one ListMFADevices, which is fresh.
//
// A user this process created and that the snapshot does not have yet is read with ListMFADevices.
func (c *Client) FindUserMFA(ctx context.Context, name string) (*UserMFA, error) {
	snap, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	user, inSnapshot := snap.users[name]
	out := &UserMFA{Source: MFASourceListed}
	if inSnapshot {
		report, reportErr := c.loadCredentialReport(ctx)
		if reportErr != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out.ReportError = reportErr
		row, hasRow := report.row(name, aws.ToString(user.Arn), aws.ToTime(user.CreateDate))
		if hasRow && !row.MFAActive && report.freshAt(c.Calls.WriteGeneration()) {
			return &UserMFA{Serials: []string{}, Source: MFASourceReport}, nil
		}
		virtual, err := snap.loadVirtualMFA(ctx)
		if err != nil {
			return nil, err
		}
		if devices := virtual[name]; len(devices) > 0 {
			return &UserMFA{Serials: slices.Sorted(slices.Values(devices)), Source: MFASourceVirtual}, nil
		}
		if hasRow && !row.MFAActive {
			return &UserMFA{Serials: []string{}, Source: MFASourceReport}, nil
		}
	}
	devices, err := c.ListUserMFADevices(ctx, name)
	if err != nil {
		return nil, err
	}
	out.Serials = make([]string, 0, len(devices))
	for _, d := range devices {
		out.Serials = append(out.Serials, d.SerialNumber)
	}
	slices.Sort(out.Serials)
	return out, nil
}

// sameUser tells whether a credential report row describes this user and not an earlier user of
// the same name (deleted and made again after the report was generated).
func sameUser(row CredentialRow, arn string, created time.Time) bool {
	if row.ARN != "" && arn != "" && row.ARN != arn {
		return false
	}
	if row.UserCreationTime == nil || created.IsZero() {
		return true
	}
	d := row.UserCreationTime.Sub(created)
	return d < 2*time.Second && d > -2*time.Second
}
