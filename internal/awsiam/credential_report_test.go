package awsiam

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// reportAccount is an account of users for the refresh's report rules. Each user has a report row
// unless noRow; mfa and password say what the row and the other reads show.
type reportUser struct {
	name           string
	noRow          bool
	mfaActive      bool   // report row
	virtual        string // serial of a virtual device (ListVirtualMFADevices), "" for none
	hardware       string // serial ListMFADevices adds, "" for none
	passwordOn     bool   // report row's password_enabled
	reportLastUsed string // report row's password_last_used (time, "no_information", "N/A")
	listLastUsed   string // ListUsers' PasswordLastUsed, "" when absent
}

// reportFake plays IAM for a client that configures against it. getReport answers
// GetCredentialReport in order (the last answer repeats); "report" is the report, anything else an
// error code.
type reportFake struct {
	*iamfake.Fake
	mu        sync.Mutex
	getReport []string
	generated bool
}

const reportTestAccount = "210987654321"

func newReportFake(users []reportUser, getReport ...string) *reportFake {
	rf := &reportFake{getReport: getReport}
	var details, list, virtual strings.Builder
	csv := "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active\n" +
		"<root_account>,arn:aws:iam::" + reportTestAccount + ":root,2020-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,true\n"
	for _, u := range users {
		arn := "arn:aws:iam::" + reportTestAccount + ":user/" + u.name
		fmt.Fprintf(&details, `<member><UserName>%s</UserName><Path>/</Path><UserId>AIDA%[1]s</UserId><Arn>%s</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate><GroupList/><AttachedManagedPolicies/><UserPolicyList/></member>`, u.name, arn)
		last := ""
		if u.listLastUsed != "" {
			last = "<PasswordLastUsed>" + u.listLastUsed + "</PasswordLastUsed>"
		}
		fmt.Fprintf(&list, `<member><UserName>%s</UserName><Path>/</Path><UserId>AIDA%[1]s</UserId><Arn>%s</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate>%s</member>`, u.name, arn, last)
		if u.virtual != "" {
			fmt.Fprintf(&virtual, `<member><SerialNumber>%s</SerialNumber><User><UserName>%s</UserName><Arn>%s</Arn><UserId>AIDA%[2]s</UserId><Path>/</Path><CreateDate>2025-01-01T00:00:00Z</CreateDate></User></member>`, u.virtual, u.name, arn)
		}
		if !u.noRow {
			reportLast := u.reportLastUsed
			if reportLast == "" {
				reportLast = "N/A"
			}
			csv += fmt.Sprintf("%s,%s,2025-01-01T00:00:00+00:00,%t,%s,N/A,N/A,%t\n", u.name, arn, u.passwordOn, reportLast, u.mfaActive)
		}
	}
	rf.Fake = iamfake.New(map[string]string{
		"GetAccountAuthorizationDetails": `<IsTruncated>false</IsTruncated><UserDetailList>` + details.String() + `</UserDetailList><GroupDetailList/><RoleDetailList/><Policies/>`,
		"ListUsers":                      `<IsTruncated>false</IsTruncated><Users>` + list.String() + `</Users>`,
		"ListVirtualMFADevices":          `<IsTruncated>false</IsTruncated><VirtualMFADevices>` + virtual.String() + `</VirtualMFADevices>`,
		"GetCallerIdentity":              iamfake.CallerIdentity(reportTestAccount),
	})
	rf.Handle("GenerateCredentialReport", func(url.Values) iamfake.Reply {
		rf.mu.Lock()
		rf.generated = true
		rf.mu.Unlock()
		return iamfake.OK(`<State>STARTED</State><Description>No report exists. Starting a new report generation task</Description>`)
	})
	content := `<Content>` + base64.StdEncoding.EncodeToString([]byte(csv)) + `</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2015-02-02T20:02:02Z</GeneratedTime>`
	rf.Handle("GetCredentialReport", func(url.Values) iamfake.Reply {
		rf.mu.Lock()
		answer := rf.getReport[0]
		if len(rf.getReport) > 1 {
			rf.getReport = rf.getReport[1:]
		}
		rf.mu.Unlock()
		if answer == "report" {
			return iamfake.OK(content)
		}
		return iamfake.Error(410, answer, "GetCredentialReport: "+answer)
	})
	rf.Handle("ListMFADevices", func(form url.Values) iamfake.Reply {
		devices := ""
		for _, u := range users {
			if u.name == form.Get("UserName") && u.hardware != "" {
				devices = `<member><UserName>` + u.name + `</UserName><SerialNumber>` + u.hardware + `</SerialNumber><EnableDate>2026-01-01T00:00:00Z</EnableDate></member>`
			}
		}
		return iamfake.OK(`<IsTruncated>false</IsTruncated><MFADevices>` + devices + `</MFADevices>`)
	})
	return rf
}

// configureAgainst builds a client the way the provider's configure does (credentials validated),
// with account lists when allowed is set, and polls without waiting.
func configureAgainst(t *testing.T, f *iamfake.Fake, allowed ...string) (*Client, error) {
	t.Helper()
	endpoint := f.Start(t)
	old := credentialReportWait
	credentialReportWait.Delay = time.Millisecond
	t.Cleanup(func() { credentialReportWait = old })
	return NewClient(context.Background(), Config{IAMEndpoint: endpoint, STSEndpoint: endpoint, MaxRetries: 1, AllowedAccountIDs: allowed})
}

// refreshAll reads every user as the onboarded-user Read does (snapshot user with password_last_used,
// then MFA) and returns what it saw, "name: mfa serials / source / password_last_used".
func refreshAll(t *testing.T, c *Client, users []reportUser) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, u := range users {
		info, err := c.FindUserInSnapshot(context.Background(), u.name)
		if err != nil {
			t.Fatalf("%s: %v", u.name, err)
		}
		mfa, err := c.FindUserMFA(context.Background(), u.name)
		if err != nil {
			t.Fatalf("%s: %v", u.name, err)
		}
		last := "null"
		if info.PasswordLastUsed != nil {
			last = info.PasswordLastUsed.UTC().Format(time.RFC3339)
		}
		out[u.name] = fmt.Sprintf("%v/%s/%s", mfa.Serials, mfa.Source, last)
	}
	return out
}

func expectCounts(t *testing.T, f *iamfake.Fake, want map[string]int) {
	t.Helper()
	got := f.Counts()
	for action, n := range want {
		if got[action] != n {
			t.Errorf("%s sent %d times, want %d (all: %v)", action, got[action], n, got)
		}
	}
	for action, n := range got {
		if _, ok := want[action]; !ok {
			t.Errorf("unexpected %s sent %d times (all: %v)", action, n, got)
		}
	}
}

// The first refresh of an account without a report: configure's GetCredentialReport says
// ReportNotPresent, the first Read generates one (one GenerateCredentialReport, one
// GetCredentialReport), and that fresh report answers MFA and password_last_used for everyone it
// shows without MFA and with a password: neither ListUsers nor ListVirtualMFADevices is sent.
func TestRefresh_freshReportCoversEveryone(t *testing.T) {
	users := []reportUser{
		{name: "ann", passwordOn: true, reportLastUsed: "2026-05-01T10:00:00+00:00", listLastUsed: "2026-05-01T10:00:00Z"},
		{name: "bob", passwordOn: true, reportLastUsed: "no_information"},
	}
	f := newReportFake(users, "ReportNotPresent", "report")
	c, err := configureAgainst(t, f.Fake)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Actions(); len(got) != 1 || !strings.HasSuffix(got[0], "GetCredentialReport") {
		t.Fatalf("configure sent %v, want one GetCredentialReport", got)
	}
	got := refreshAll(t, c, users)
	want := map[string]string{"ann": "[]/credential_report/2026-05-01T10:00:00Z", "bob": "[]/credential_report/null"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("refresh saw %v, want %v", got, want)
	}
	expectCounts(t, f.Fake, map[string]int{"GetCredentialReport": 2, "GenerateCredentialReport": 1, "GetAccountAuthorizationDetails": 1})
	if id, err := c.AccountID(context.Background()); err != nil || id != reportTestAccount || f.Count("GetCallerIdentity") != 0 {
		t.Errorf("AccountID = %q, %v after %d GetCallerIdentity; want %s from the ARNs, without STS", id, err, f.Count("GetCallerIdentity"), reportTestAccount)
	}
}

// A fresh report that shows a user without a password (password_enabled=false: AWS writes N/A even
// when ListUsers still has a date) or has no row for a user costs one ListUsers for all of them; a
// row with mfa_active=true costs one ListVirtualMFADevices, and ListMFADevices only when no virtual
// device explains it (a hardware key) or the user has no row.
func TestRefresh_freshReportAsksOnlyWhatItLacks(t *testing.T) {
	users := []reportUser{
		{name: "ann", passwordOn: true, reportLastUsed: "2026-05-01T10:00:00+00:00"},
		{name: "nopw", passwordOn: false, reportLastUsed: "N/A", listLastUsed: "2026-04-01T09:00:00Z"},
		{name: "late", noRow: true, listLastUsed: "2026-03-01T08:00:00Z", hardware: "GAHT0001"},
		{name: "virt", passwordOn: true, mfaActive: true, virtual: "arn:aws:iam::" + reportTestAccount + ":mfa/virt", reportLastUsed: "no_information"},
		{name: "hw", passwordOn: true, mfaActive: true, hardware: "GAHT0002", reportLastUsed: "no_information"},
	}
	f := newReportFake(users, "ReportExpired", "ReportInProgress", "report")
	c, err := configureAgainst(t, f.Fake)
	if err != nil {
		t.Fatal(err)
	}
	got := refreshAll(t, c, users)
	want := map[string]string{
		"ann":  "[]/credential_report/2026-05-01T10:00:00Z",
		"nopw": "[]/credential_report/2026-04-01T09:00:00Z",
		"late": "[GAHT0001]/list_mfa_devices/2026-03-01T08:00:00Z",
		"virt": "[arn:aws:iam::" + reportTestAccount + ":mfa/virt]/virtual_mfa_devices/null",
		"hw":   "[GAHT0002]/list_mfa_devices/null",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("refresh saw\n%v, want\n%v", got, want)
	}
	// ReportExpired at configure, then one GenerateCredentialReport and GetCredentialReport polled
	// through one ReportInProgress.
	expectCounts(t, f.Fake, map[string]int{
		"GetCredentialReport": 3, "GenerateCredentialReport": 1, "GetAccountAuthorizationDetails": 1,
		"ListUsers": 1, "ListVirtualMFADevices": 1, "ListMFADevices": 2,
	})
	var listed []string
	for _, r := range f.FindAll("ListMFADevices") {
		listed = append(listed, r.Get("UserName"))
	}
	if !slices.Equal(listed, []string{"late", "hw"}) {
		t.Errorf("ListMFADevices for %v, want late and hw", listed)
	}
}

// A report that was already there (configure's GetCredentialReport returned it) may be up to 4 hours
// old: virtual devices come from ListVirtualMFADevices and password_last_used from ListUsers, as
// before; the report answers only mfa_active=false for users without a virtual device. No
// GenerateCredentialReport, and the account ID comes from the report's root row.
func TestRefresh_reusedReportKeepsLiveReads(t *testing.T) {
	users := []reportUser{
		{name: "ann", passwordOn: true, reportLastUsed: "2026-05-01T10:00:00+00:00", listLastUsed: "2026-05-02T11:00:00Z"},
		{name: "virt", passwordOn: true, mfaActive: false, virtual: "arn:aws:iam::" + reportTestAccount + ":mfa/virt"},
	}
	f := newReportFake(users, "report")
	c, err := configureAgainst(t, f.Fake)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := c.AccountID(context.Background()); err != nil || id != reportTestAccount {
		t.Fatalf("AccountID = %q, %v; want %s from the report's root row", id, err, reportTestAccount)
	}
	got := refreshAll(t, c, users)
	want := map[string]string{
		"ann":  "[]/credential_report/2026-05-02T11:00:00Z",
		"virt": "[arn:aws:iam::" + reportTestAccount + ":mfa/virt]/virtual_mfa_devices/null",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("refresh saw %v, want %v", got, want)
	}
	expectCounts(t, f.Fake, map[string]int{
		"GetCredentialReport": 1, "GetAccountAuthorizationDetails": 1, "ListUsers": 1, "ListVirtualMFADevices": 1,
	})
}

// A report this process generated stops counting as fresh once the process writes: the next reads
// download the report again and go back to ListUsers and ListVirtualMFADevices.
func TestRefresh_writeEndsFreshness(t *testing.T) {
	users := []reportUser{{name: "ann", passwordOn: true, reportLastUsed: "2026-05-01T10:00:00+00:00", listLastUsed: "2026-05-01T10:00:00Z"}}
	f := newReportFake(users, "ReportNotPresent", "report")
	f.Handle("TagUser", iamfake.Empty)
	c, err := configureAgainst(t, f.Fake)
	if err != nil {
		t.Fatal(err)
	}
	refreshAll(t, c, users)
	if f.Count("ListUsers")+f.Count("ListVirtualMFADevices") != 0 {
		t.Fatalf("calls %v before the write, want no ListUsers / ListVirtualMFADevices", f.Counts())
	}
	if _, err := c.iamAPI.TagUser(context.Background(), &iam.TagUserInput{UserName: aws.String("ann"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}); err != nil {
		t.Fatal(err)
	}
	got := refreshAll(t, c, users)
	if got["ann"] != "[]/credential_report/2026-05-01T10:00:00Z" {
		t.Errorf("after the write: %v", got)
	}
	// The report is downloaded again (GetCredentialReport: configure, the poll after the generate,
	// the download after the write), not generated again, and is no longer taken as fresh.
	if f.Count("ListUsers") != 1 || f.Count("ListVirtualMFADevices") != 1 || f.Count("GenerateCredentialReport") != 1 || f.Count("GetCredentialReport") != 3 {
		t.Errorf("calls %v after the write, want ListUsers and ListVirtualMFADevices once, the report downloaded again and not generated again", f.Counts())
	}
}

// GetCredentialReport polled on ReportInProgress stops after credentialReportWait.Attempts, and the
// MFA refresh falls back per user without failing.
func TestRefresh_reportPollingIsBounded(t *testing.T) {
	users := []reportUser{{name: "ann", passwordOn: true, hardware: "GAHT0003", listLastUsed: "2026-05-01T10:00:00Z"}}
	f := newReportFake(users, "ReportNotPresent", "ReportInProgress")
	c, err := configureAgainst(t, f.Fake)
	if err != nil {
		t.Fatal(err)
	}
	got := refreshAll(t, c, users)
	if got["ann"] != "[GAHT0003]/list_mfa_devices/2026-05-01T10:00:00Z" {
		t.Errorf("refresh saw %v", got)
	}
	if f.Count("GenerateCredentialReport") != 1 || f.Count("GetCredentialReport") != 1+credentialReportWait.Attempts {
		t.Errorf("calls %v, want one GenerateCredentialReport and 1 + %d GetCredentialReport", f.Counts(), credentialReportWait.Attempts)
	}
	mfa, _ := c.FindUserMFA(context.Background(), "ann")
	if mfa.ReportError == nil || !strings.Contains(mfa.ReportError.Error(), "still ReportInProgress after") {
		t.Errorf("ReportError = %v", mfa.ReportError)
	}
}

// Cancelling stops the polling at once and is not remembered as the report's verdict.
func TestRefresh_reportPollingIsCancellable(t *testing.T) {
	users := []reportUser{{name: "ann", passwordOn: true}}
	f := newReportFake(users, "ReportNotPresent", "ReportInProgress")
	c, err := configureAgainst(t, f.Fake)
	if err != nil {
		t.Fatal(err)
	}
	credentialReportWait.Delay = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err = c.FindUserMFA(ctx, "ann")
	if !errors.Is(err, context.Canceled) || time.Since(start) > 10*time.Second {
		t.Fatalf("FindUserMFA = %v after %v, want context.Canceled at once", err, time.Since(start))
	}
	c.reportMu.Lock()
	remembered := c.report.err != nil || c.report.report != nil
	c.reportMu.Unlock()
	if remembered {
		t.Error("a cancelled poll was remembered as the report's verdict")
	}
}

// AccessDenied on GetCredentialReport at configure proves nothing about the credentials: configure
// falls back to sts:GetCallerIdentity, and the MFA refresh falls back per user without asking for
// the report again.
func TestConfigure_reportDeniedFallsBackToSTS(t *testing.T) {
	users := []reportUser{{name: "ann", hardware: "GAHT0004", listLastUsed: "2026-05-01T10:00:00Z"}}
	f := newReportFake(users, "AccessDenied")
	c, err := configureAgainst(t, f.Fake)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Actions(); len(got) != 2 || !strings.HasSuffix(got[0], "GetCredentialReport") || !strings.HasSuffix(got[1], "GetCallerIdentity") {
		t.Fatalf("configure sent %v, want GetCredentialReport then GetCallerIdentity", got)
	}
	got := refreshAll(t, c, users)
	if got["ann"] != "[GAHT0004]/list_mfa_devices/2026-05-01T10:00:00Z" {
		t.Errorf("refresh saw %v", got)
	}
	mfa, _ := c.FindUserMFA(context.Background(), "ann")
	if mfa.ReportError == nil || !strings.Contains(mfa.ReportError.Error(), "AccessDenied") {
		t.Errorf("ReportError = %v, want the AccessDenied", mfa.ReportError)
	}
	if f.Count("GetCredentialReport") != 1 || f.Count("GenerateCredentialReport") != 0 || f.Count("GetCallerIdentity") != 1 {
		t.Errorf("calls %v", f.Counts())
	}
}

// Rejected or expired credentials fail configure on GetCredentialReport, explained, naming the
// request; nothing else is sent.
func TestConfigure_reportRequestExplainsCredentialErrors(t *testing.T) {
	for code, want := range map[string]string{
		"InvalidClientTokenId":  "AWS rejected the credentials (InvalidClientTokenId)",
		"SignatureDoesNotMatch": "AWS rejected the credentials (SignatureDoesNotMatch)",
		"ExpiredToken":          "the AWS credentials have expired (ExpiredToken)",
	} {
		t.Run(code, func(t *testing.T) {
			f := newReportFake(nil, code)
			_, err := configureAgainst(t, f.Fake)
			expectMessage(t, err, []string{want, "(iam:GetCredentialReport: "}, "sts:GetCallerIdentity")
			if got := f.Actions(); len(got) != 1 {
				t.Errorf("configure sent %v, want only GetCredentialReport", got)
			}
		})
	}
}

// With allowed_account_ids configure asks sts:GetCallerIdentity as before, and the refresh reads
// the report itself (one request more than without the lists).
func TestConfigure_accountListsKeepCallerIdentity(t *testing.T) {
	users := []reportUser{{name: "ann", passwordOn: true, reportLastUsed: "no_information"}}
	f := newReportFake(users, "ReportNotPresent", "report")
	c, err := configureAgainst(t, f.Fake, reportTestAccount)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Actions(); len(got) != 1 || !strings.HasSuffix(got[0], "GetCallerIdentity") {
		t.Fatalf("configure sent %v, want one GetCallerIdentity", got)
	}
	refreshAll(t, c, users)
	expectCounts(t, f.Fake, map[string]int{
		"GetCallerIdentity": 1, "GetCredentialReport": 2, "GenerateCredentialReport": 1, "GetAccountAuthorizationDetails": 1,
	})
}

// The report configure downloaded is downloaded again at the next need after a write of this
// process (an apply that creates users, then an audit or a Read), the way the snapshot is reloaded:
// an audit in the same run sees what the report says now, not what it said before the writes.
func TestRefresh_reportDownloadedAgainAfterWrite(t *testing.T) {
	users := []reportUser{{name: "ann", passwordOn: true}}
	f := newReportFake(users, "report")
	f.Handle("TagUser", iamfake.Empty)
	c, err := configureAgainst(t, f.Fake)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.iamAPI.TagUser(context.Background(), &iam.TagUserInput{UserName: aws.String("ann"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}); err != nil {
		t.Fatal(err)
	}
	refreshAll(t, c, users)
	refreshAll(t, c, users)
	if f.Count("GetCredentialReport") != 2 || f.Count("GenerateCredentialReport") != 0 {
		t.Errorf("calls %v, want the report downloaded once more after the write, and not generated", f.Counts())
	}
}
