package awsiam

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// Where the per-user credential facts of an audit came from.
const (
	CredentialSourceReport    = "credential_report"
	CredentialSourcePerUser   = "per_user_calls"
	RootAccountReportUserName = "<root_account>"
)

// AccountAudit is what one audit reads from the account, in bulk: the account summary, the password
// policy, the process's snapshot (users, groups, roles, customer managed policies, virtual MFA) and
// the credential report. It is facts only; the opinions live in internal/baseline.
type AccountAudit struct {
	// Summary is GetAccountSummary's map (AccountMFAEnabled, AccountAccessKeysPresent, ...).
	Summary map[string]int32
	// PasswordPolicy is nil when the account has none (AWS then applies its weak default).
	PasswordPolicy *PasswordPolicySettings
	// RootVirtualMFA is true when a virtual MFA device is assigned to the root user, i.e. the root
	// user's MFA (if any) is not a hardware device.
	RootVirtualMFA bool
	Snapshot       *Snapshot
	// Credentials has one row per IAM user, plus the root row when the credential report has one.
	Credentials []CredentialRow
	// CredentialSource is CredentialSourceReport, or CredentialSourcePerUser when the credential
	// report could not be read; CredentialReportError then says why.
	CredentialSource      string
	CredentialReportError string
	// ReportGeneratedAt is when AWS generated the credential report (AWS regenerates it at most every
	// 4 hours); zero with the per-user fallback.
	ReportGeneratedAt time.Time
	ReadAt            time.Time
}

// CredentialRow is one line of the credential report. Times are nil when the report says N/A,
// no_information or not_supported.
type CredentialRow struct {
	User                string
	ARN                 string
	UserCreationTime    *time.Time
	PasswordEnabled     bool
	PasswordLastUsed    *time.Time
	PasswordLastChanged *time.Time
	MFAActive           bool
	// MFADevices are the serials of the user's devices, known only from the per-user fallback
	// (ListMFADevices): the report says whether a user has MFA, not how many devices.
	MFADevices []string
	AccessKeys []AccessKeyRow
}

// AccessKeyRow describes one access key slot of a user. ID is empty when it came from the credential
// report, which does not name keys.
type AccessKeyRow struct {
	ID          string
	Active      bool
	LastRotated *time.Time
	LastUsed    *time.Time
}

// ReadAccountAudit reads everything an audit needs with bulk calls: GetAccountSummary,
// GetAccountPasswordPolicy, the snapshot with both its lazy parts (GetAccountAuthorizationDetails,
// ListUsers, ListVirtualMFADevices, which also shows the root user's virtual device), and the
// credential report through the same loader as the refresh (the report configure read, else
// GetCredentialReport, and GenerateCredentialReport only when there is none or it expired). Only
// when the report cannot be had does it fall back to per-user ListAccessKeys, GetAccessKeyLastUsed,
// GetLoginProfile and ListMFADevices, and it says so in CredentialSource / CredentialReportError.
func (c *Client) ReadAccountAudit(ctx context.Context) (*AccountAudit, error) {
	a := &AccountAudit{ReadAt: time.Now().UTC()}

	summary, err := c.iamAPI.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		return nil, fmt.Errorf("reading IAM account summary: %w", err)
	}
	a.Summary = summary.SummaryMap

	pp, err := c.iamAPI.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	switch {
	case err == nil:
		a.PasswordPolicy = passwordPolicySettingsFrom(pp.PasswordPolicy)
	case HasCode(err, "NoSuchEntity"):
		a.PasswordPolicy = nil
	default:
		return nil, fmt.Errorf("reading IAM account password policy: %w", err)
	}

	snap, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	if err := snap.loadLazyParts(ctx); err != nil {
		return nil, err
	}
	a.Snapshot, a.RootVirtualMFA = snap, snap.rootVirtualMFA

	report, reportErr := c.loadCredentialReport(ctx)
	if reportErr == nil {
		a.Credentials, a.ReportGeneratedAt, a.CredentialSource = report.rows, report.generatedAt, CredentialSourceReport
		return a, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	a.CredentialReportError = reportErr.Error()
	a.CredentialSource = CredentialSourcePerUser
	a.Credentials, err = c.credentialsPerUser(ctx, snap)
	if err != nil {
		return nil, fmt.Errorf("credential report unavailable (%s), and the per-user fallback failed: %w", reportErr, err)
	}
	return a, nil
}

// ParseCredentialReport reads the CSV of GetCredentialReport by column name, so added or reordered
// columns do not matter. The root user's row is kept, under the name "<root_account>".
func ParseCredentialReport(content []byte) ([]CredentialRow, error) {
	r := csv.NewReader(bytes.NewReader(content))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("parsing the IAM credential report: reading its header: %w", err)
	}
	col := map[string]int{}
	for i, name := range header {
		col[strings.TrimSpace(name)] = i
	}
	for _, required := range []string{"user", "arn", "password_enabled", "mfa_active"} {
		if _, ok := col[required]; !ok {
			return nil, fmt.Errorf("parsing the IAM credential report: column %q is missing", required)
		}
	}
	var rows []CredentialRow
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parsing the IAM credential report, line %d: %w", line, err)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := CredentialRow{
			User:                get("user"),
			ARN:                 get("arn"),
			UserCreationTime:    reportTime(get("user_creation_time")),
			PasswordEnabled:     strings.EqualFold(get("password_enabled"), "true"),
			PasswordLastUsed:    reportTime(get("password_last_used")),
			PasswordLastChanged: reportTime(get("password_last_changed")),
			MFAActive:           strings.EqualFold(get("mfa_active"), "true"),
		}
		for n := 1; n <= 2; n++ {
			prefix := fmt.Sprintf("access_key_%d_", n)
			key := AccessKeyRow{
				Active:      strings.EqualFold(get(prefix+"active"), "true"),
				LastRotated: reportTime(get(prefix + "last_rotated")),
				LastUsed:    reportTime(get(prefix + "last_used_date")),
			}
			// An unused slot reads "false,N/A,N/A": not a key at all.
			if key.Active || key.LastRotated != nil {
				row.AccessKeys = append(row.AccessKeys, key)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// reportTime parses an ISO 8601 time of the report; N/A, no_information, not_supported give nil.
func reportTime(s string) *time.Time {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05+00:00", "2006-01-02T15:04:05Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}

// credentialsPerUser is the fallback when the credential report cannot be had: per user
// GetLoginProfile, ListMFADevices, ListAccessKeys and GetAccessKeyLastUsed for each key.
func (c *Client) credentialsPerUser(ctx context.Context, snap *Snapshot) ([]CredentialRow, error) {
	rows := make([]CredentialRow, 0, len(snap.users))
	for name, u := range snap.users {
		row := CredentialRow{User: name, ARN: aws.ToString(u.Arn), UserCreationTime: u.CreateDate}
		if t, ok := snap.passwordLastUsed[name]; ok {
			row.PasswordLastUsed = &t
		}
		lp, err := c.iamAPI.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(name)})
		switch {
		case err == nil:
			row.PasswordEnabled = true
			row.PasswordLastChanged = lp.LoginProfile.CreateDate
		case HasCode(err, "NoSuchEntity"):
		default:
			return nil, fmt.Errorf("reading login profile of IAM user (%s): %w", name, err)
		}
		mfa, err := c.ListUserMFADevices(ctx, name)
		if err != nil && !IsNotFound(err) {
			return nil, err
		}
		row.MFAActive = len(mfa) > 0 || len(snap.virtualMFA[name]) > 0
		for _, d := range mfa {
			row.MFADevices = append(row.MFADevices, d.SerialNumber)
		}
		var keys []types.AccessKeyMetadata
		pages := iam.NewListAccessKeysPaginator(c.iamAPI, &iam.ListAccessKeysInput{UserName: aws.String(name)})
		for pages.HasMorePages() {
			page, perr := pages.NextPage(ctx)
			if err = perr; err != nil {
				break
			}
			keys = append(keys, page.AccessKeyMetadata...)
		}
		if err != nil {
			if HasCode(err, "NoSuchEntity") {
				continue
			}
			return nil, fmt.Errorf("listing access keys of IAM user (%s): %w", name, err)
		}
		for _, k := range keys {
			key := AccessKeyRow{ID: aws.ToString(k.AccessKeyId), Active: k.Status == types.StatusTypeActive, LastRotated: k.CreateDate}
			used, err := c.iamAPI.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
			if err != nil && !HasCode(err, "NoSuchEntity") {
				return nil, fmt.Errorf("reading last use of an access key of IAM user (%s): %w", name, err)
			}
			if err == nil && used.AccessKeyLastUsed != nil {
				key.LastUsed = used.AccessKeyLastUsed.LastUsedDate
			}
			row.AccessKeys = append(row.AccessKeys, key)
		}
		rows = append(rows, row)
	}
	return rows, nil
}
