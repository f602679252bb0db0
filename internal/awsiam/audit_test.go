package awsiam

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// A credential report as real AWS writes it: the root row, "N/A", "no_information", "not_supported".
const sampleReport = `user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-05-01T10:00:00+00:00,not_supported,not_supported,true,true,2021-03-04T05:06:07+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
alice,arn:aws:iam::123456789012:user/alice,2025-01-01T00:00:00+00:00,true,no_information,2025-01-02T00:00:00+00:00,N/A,false,true,2025-02-01T00:00:00+00:00,2026-05-30T08:00:00+00:00,us-east-1,s3,true,2026-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A
bob,arn:aws:iam::123456789012:user/bob,2025-06-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
`

func ts(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestParseCredentialReport(t *testing.T) {
	rows, err := ParseCredentialReport([]byte(sampleReport))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("rows = %d", len(rows))
	}
	root, alice, bob := rows[0], rows[1], rows[2]
	if root.User != RootAccountReportUserName || !root.MFAActive || root.PasswordEnabled || len(root.AccessKeys) != 1 || !root.AccessKeys[0].Active {
		t.Errorf("root row = %+v", root)
	}
	if !alice.PasswordEnabled || alice.PasswordLastUsed != nil || !alice.PasswordLastChanged.Equal(*ts("2025-01-02T00:00:00Z")) || alice.MFAActive {
		t.Errorf("alice password/MFA = %+v", alice)
	}
	if len(alice.AccessKeys) != 2 ||
		!alice.AccessKeys[0].LastUsed.Equal(*ts("2026-05-30T08:00:00Z")) || !alice.AccessKeys[0].LastRotated.Equal(*ts("2025-02-01T00:00:00Z")) ||
		!alice.AccessKeys[1].Active || alice.AccessKeys[1].LastUsed != nil {
		t.Errorf("alice keys = %+v", alice.AccessKeys)
	}
	if bob.PasswordEnabled || len(bob.AccessKeys) != 0 || !bob.UserCreationTime.Equal(*ts("2025-06-01T00:00:00Z")) {
		t.Errorf("bob row = %+v", bob)
	}
}

func TestParseCredentialReport_byColumnName(t *testing.T) {
	rows, err := ParseCredentialReport([]byte("mfa_active,arn,user,password_enabled,extra\ntrue,arn:aws:iam::1:user/x,x,true,whatever\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].User != "x" || !rows[0].MFAActive || !rows[0].PasswordEnabled {
		t.Fatalf("rows = %+v", rows)
	}
	if _, err := ParseCredentialReport([]byte("user,arn\nx,y\n")); err == nil || !strings.Contains(err.Error(), "password_enabled") {
		t.Fatalf("missing column error = %v", err)
	}
}

// newAuditFake answers the audit's read calls with canned XML and counts them. With pending > 0 the
// account's report has expired: GetCredentialReport answers ReportExpired until GenerateCredentialReport
// is sent, then ReportInProgress pending times; with reportErr it always answers ReportNotPresent.
func newAuditFake(reportErr bool, pending int64) *iamfake.Fake {
	var inProgress atomic.Int64
	var generated atomic.Bool
	inProgress.Store(pending)
	f := iamfake.New(map[string]string{
		"GetAccountSummary":              `<SummaryMap><entry><key>AccountMFAEnabled</key><value>1</value></entry><entry><key>AccountAccessKeysPresent</key><value>0</value></entry></SummaryMap>`,
		"ListVirtualMFADevices":          `<IsTruncated>false</IsTruncated><VirtualMFADevices><member><SerialNumber>arn:aws:iam::123456789012:mfa/root-account-mfa-device</SerialNumber><User><Arn>arn:aws:iam::123456789012:root</Arn><UserId>123456789012</UserId><CreateDate>2020-01-01T00:00:00Z</CreateDate></User></member></VirtualMFADevices>`,
		"GetAccountAuthorizationDetails": `<IsTruncated>false</IsTruncated><UserDetailList><member><UserName>alice</UserName><Path>/</Path><UserId>AIDA1</UserId><Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate><GroupList/><AttachedManagedPolicies/><UserPolicyList/></member></UserDetailList><GroupDetailList/><RoleDetailList/><Policies/>`,
		"ListUsers":                      `<IsTruncated>false</IsTruncated><Users><member><UserName>alice</UserName><Path>/</Path><UserId>AIDA1</UserId><Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate></member></Users>`,
		"GetLoginProfile":                `<LoginProfile><UserName>alice</UserName><CreateDate>2025-01-02T00:00:00Z</CreateDate><PasswordResetRequired>false</PasswordResetRequired></LoginProfile>`,
		"ListMFADevices":                 `<IsTruncated>false</IsTruncated><MFADevices/>`,
		"ListAccessKeys":                 `<IsTruncated>false</IsTruncated><AccessKeyMetadata><member><UserName>alice</UserName><AccessKeyId>AKIA1</AccessKeyId><Status>Active</Status><CreateDate>2025-02-01T00:00:00Z</CreateDate></member><member><UserName>alice</UserName><AccessKeyId>AKIA2</AccessKeyId><Status>Inactive</Status><CreateDate>2025-03-01T00:00:00Z</CreateDate></member></AccessKeyMetadata>`,
	}).Fail("GetAccountPasswordPolicy", 400, "NoSuchEntity", "GetAccountPasswordPolicy")
	report := `<Content>` + base64.StdEncoding.EncodeToString([]byte(sampleReport)) + `</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-06-01T00:00:00Z</GeneratedTime>`
	f.Handle("GenerateCredentialReport", func(url.Values) iamfake.Reply {
		generated.Store(true)
		return iamfake.OK(`<State>STARTED</State>`)
	})
	f.Handle("GetCredentialReport", func(url.Values) iamfake.Reply {
		switch {
		case pending > 0 && !generated.Load():
			return iamfake.Error(410, "ReportExpired", "the report is older than 4 hours")
		case inProgress.Add(-1) >= 0:
			return iamfake.Error(404, "ReportInProgress", "the report is being generated")
		}
		return iamfake.OK(report)
	})
	f.Handle("GetAccessKeyLastUsed", func(form url.Values) iamfake.Reply {
		if form.Get("AccessKeyId") == "AKIA1" {
			return iamfake.OK(`<UserName>alice</UserName><AccessKeyLastUsed><LastUsedDate>2026-05-30T08:00:00Z</LastUsedDate><ServiceName>s3</ServiceName><Region>us-east-1</Region></AccessKeyLastUsed>`)
		}
		return iamfake.OK(`<UserName>alice</UserName><AccessKeyLastUsed><ServiceName>N/A</ServiceName><Region>N/A</Region></AccessKeyLastUsed>`)
	})
	if reportErr {
		f.Fail("GetCredentialReport", 400, "ReportNotPresent", "GetCredentialReport")
	}
	return f
}

// fakeAuditClient is a client of f that polls for the credential report without waiting.
func fakeAuditClient(t *testing.T, f *iamfake.Fake) *Client {
	t.Helper()
	c := newFakeClient(t, f, Config{MaxRetries: 1})
	old := credentialReportWait
	credentialReportWait.Delay = time.Millisecond
	t.Cleanup(func() { credentialReportWait = old })
	return c
}

// readAudit reads the account audit from f through a client with short report waits.
func readAudit(t *testing.T, f *iamfake.Fake) *AccountAudit {
	t.Helper()
	a, err := fakeAuditClient(t, f).ReadAccountAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestReadAccountAudit_credentialReport(t *testing.T) {
	f := newAuditFake(false, 2)
	a := readAudit(t, f)
	if a.Summary["AccountMFAEnabled"] != 1 || a.PasswordPolicy != nil || !a.RootVirtualMFA {
		t.Errorf("account facts: summary %v policy %v rootVirtual %v", a.Summary, a.PasswordPolicy, a.RootVirtualMFA)
	}
	if a.CredentialSource != CredentialSourceReport || a.CredentialReportError != "" || len(a.Credentials) != 3 {
		t.Errorf("credentials from %s (%s): %d rows", a.CredentialSource, a.CredentialReportError, len(a.Credentials))
	}
	if !a.ReportGeneratedAt.Equal(*ts("2026-06-01T00:00:00Z")) {
		t.Errorf("generated at %v", a.ReportGeneratedAt)
	}
	// The report had expired: GetCredentialReport (ReportExpired), one GenerateCredentialReport, then
	// GetCredentialReport polled through two ReportInProgress. ListVirtualMFADevices once, for the
	// users and the root user.
	want := map[string]int{
		"GetAccountSummary": 1, "GetAccountPasswordPolicy": 1, "ListVirtualMFADevices": 1,
		"GetAccountAuthorizationDetails": 1, "ListUsers": 1,
		"GenerateCredentialReport": 1, "GetCredentialReport": 4,
	}
	if fmt.Sprint(f.Counts()) != fmt.Sprint(want) {
		t.Errorf("calls %v, want %v (no per-user calls with the report)", f.Counts(), want)
	}
}

// A report younger than 4 hours is read as is: no GenerateCredentialReport.
func TestReadAccountAudit_reusesARecentReport(t *testing.T) {
	f := newAuditFake(false, 0)
	a := readAudit(t, f)
	if a.CredentialSource != CredentialSourceReport || len(a.Credentials) != 3 {
		t.Errorf("credentials from %s (%s): %d rows", a.CredentialSource, a.CredentialReportError, len(a.Credentials))
	}
	if f.Count("GenerateCredentialReport") != 0 || f.Count("GetCredentialReport") != 1 {
		t.Errorf("calls %v, want one GetCredentialReport and no GenerateCredentialReport", f.Counts())
	}
}

func TestReadAccountAudit_fallsBackPerUser(t *testing.T) {
	f := newAuditFake(true, 0)
	a := readAudit(t, f)
	if a.CredentialSource != CredentialSourcePerUser || !strings.Contains(a.CredentialReportError, "ReportNotPresent") {
		t.Fatalf("source %q error %q", a.CredentialSource, a.CredentialReportError)
	}
	if len(a.Credentials) != 1 {
		t.Fatalf("rows %+v", a.Credentials)
	}
	alice := a.Credentials[0]
	if !alice.PasswordEnabled || alice.MFAActive || len(alice.AccessKeys) != 2 {
		t.Fatalf("alice = %+v", alice)
	}
	k1, k2 := alice.AccessKeys[0], alice.AccessKeys[1]
	if k1.ID != "AKIA1" || !k1.Active || !k1.LastUsed.Equal(*ts("2026-05-30T08:00:00Z")) || k2.Active || k2.LastUsed != nil {
		t.Fatalf("keys = %+v %+v", k1, k2)
	}
	for _, op := range []string{"GetLoginProfile", "ListMFADevices", "ListAccessKeys"} {
		if f.Count(op) != 1 {
			t.Errorf("%s called %d times, want once per user", op, f.Count(op))
		}
	}
	if f.Count("GetAccessKeyLastUsed") != 2 {
		t.Errorf("GetAccessKeyLastUsed called %d times, want once per key", f.Count("GetAccessKeyLastUsed"))
	}
}

func TestReadAccountAudit_reportPollingIsBounded(t *testing.T) {
	f := newAuditFake(false, 1000)
	a := readAudit(t, f)
	if f.Count("GenerateCredentialReport") != 1 || f.Count("GetCredentialReport") != 1+credentialReportWait.Attempts {
		t.Errorf("calls %v, want one GenerateCredentialReport and 1 + %d GetCredentialReport", f.Counts(), credentialReportWait.Attempts)
	}
	if a.CredentialSource != CredentialSourcePerUser || !strings.Contains(a.CredentialReportError, "still ReportInProgress") {
		t.Errorf("source %q error %q", a.CredentialSource, a.CredentialReportError)
	}
}
