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
	// MFASourceReport: no virtual device, and the credential report says mfa_active=false (bulk, but
	// as old as the report: AWS regenerates it at most every 4 hours).
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

// mfaReport is the credential report as the MFA refresh uses it, loaded at most once per client.
type mfaReport struct {
	loaded bool
	rows   map[string]CredentialRow // by user name
	err    error
}

// FindUserMFA tells which MFA devices a user has, for the refresh, with as few per-user requests as
// IAM allows:
//
//   - virtual devices come from the snapshot's ListVirtualMFADevices: fresh, no request per user;
//   - a user without a virtual device is looked up in the credential report (one bulk download per
//     provider process, only when some user needs it). mfa_active=false is taken as is: hardware and
//     FIDO keys added since AWS generated the report (at most 4 hours ago) show up at its next
//     regeneration;
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
	if inSnapshot {
		if virtual := snap.virtualMFA[name]; len(virtual) > 0 {
			return &UserMFA{Serials: slices.Sorted(slices.Values(virtual)), Source: MFASourceVirtual}, nil
		}
	}
	out := &UserMFA{Source: MFASourceListed}
	if inSnapshot {
		rows, reportErr := c.credentialReportRows(ctx)
		if reportErr != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out.ReportError = reportErr
		if row, ok := rows[name]; ok && !row.MFAActive && sameUser(row, aws.ToString(user.Arn), aws.ToTime(user.CreateDate)) {
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

// credentialReportRows returns the credential report by user name, generating and downloading it
// on first use only; a failure is remembered too, so that a refresh asks at most once.
func (c *Client) credentialReportRows(ctx context.Context) (map[string]CredentialRow, error) {
	c.reportMu.Lock()
	defer c.reportMu.Unlock()
	if c.report.loaded {
		return c.report.rows, c.report.err
	}
	rows, _, err := c.credentialReport(ctx)
	if err != nil && ctx.Err() != nil {
		return nil, err // cancelled: not a verdict on the report
	}
	c.report.loaded, c.report.err = true, err
	if err == nil {
		c.report.rows = make(map[string]CredentialRow, len(rows))
		for _, r := range rows {
			c.report.rows[r.User] = r
		}
	}
	return c.report.rows, c.report.err
}
