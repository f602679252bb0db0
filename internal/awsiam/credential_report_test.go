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

// newMFAFake is an account of five users for FindUserMFA:
//
//	virt:  a virtual device (ListVirtualMFADevices) and a report row saying mfa_active=true
//	plain: no device, report row mfa_active=false
//	hw:    a hardware key, report row mfa_active=true
//	fresh: no row in the report (created after it), a FIDO key
//	reborn: a report row of an earlier user of the same name (another creation time) with a key
//
// The report is there (younger than 4 hours): a reused report. With reportErr, GetCredentialReport
// and GenerateCredentialReport fail with that code.
func newMFAFake(reportErr string) *iamfake.Fake {
	user := func(name, created string) string {
		return fmt.Sprintf(`<member><UserName>%[1]s</UserName><Path>/</Path><UserId>AIDA%[1]s</UserId><Arn>arn:aws:iam::123456789012:user/%[1]s</Arn><CreateDate>%[2]s</CreateDate><GroupList/><AttachedManagedPolicies/><UserPolicyList/></member>`, name, created)
	}
	var users strings.Builder
	for _, u := range []string{"virt", "plain", "hw", "fresh"} {
		users.WriteString(user(u, "2025-01-01T00:00:00Z"))
	}
	users.WriteString(user("reborn", "2025-06-01T00:00:00Z"))
	f := iamfake.New(map[string]string{
		"GetAccountAuthorizationDetails": `<IsTruncated>false</IsTruncated><UserDetailList>` + users.String() + `</UserDetailList><GroupDetailList/><RoleDetailList/><Policies/>`,
		"ListUsers":                      `<IsTruncated>false</IsTruncated><Users/>`,
		"ListVirtualMFADevices":          `<IsTruncated>false</IsTruncated><VirtualMFADevices><member><SerialNumber>arn:aws:iam::123456789012:mfa/virt</SerialNumber><User><UserName>virt</UserName><Arn>arn:aws:iam::123456789012:user/virt</Arn><UserId>AIDAvirt</UserId><Path>/</Path><CreateDate>2025-01-01T00:00:00Z</CreateDate></User></member></VirtualMFADevices>`,
		"GenerateCredentialReport":       `<State>COMPLETE</State>`,
		"GetCredentialReport":            `<Content>` + base64.StdEncoding.EncodeToString([]byte(mfaReportCSV)) + `</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-06-01T00:00:00Z</GeneratedTime>`,
	})
	if reportErr != "" {
		f.Fail("GenerateCredentialReport", 403, reportErr, "GenerateCredentialReport")
		f.Fail("GetCredentialReport", 403, reportErr, "GetCredentialReport")
	}
	return f.Handle("ListMFADevices", func(form url.Values) iamfake.Reply {
		serial := map[string]string{
			"hw": "GAHT12345678", "fresh": "arn:aws:iam::123456789012:u2f/user/fresh/key-ABC", "reborn": "GAHT87654321",
			"virt": "arn:aws:iam::123456789012:mfa/virt",
		}[form.Get("UserName")]
		devices := ""
		if serial != "" {
			devices = `<member><UserName>` + form.Get("UserName") + `</UserName><SerialNumber>` + serial + `</SerialNumber><EnableDate>2026-01-01T00:00:00Z</EnableDate></member>`
		}
		return iamfake.OK(`<IsTruncated>false</IsTruncated><MFADevices>` + devices + `</MFADevices>`)
	})
}

// listedForMFA returns the users ListMFADevices was asked about, in order.
func listedForMFA(f *iamfake.Fake) []string {
	var out []string
	for _, r := range f.FindAll("ListMFADevices") {
		out = append(out, r.Get("UserName"))
	}
	return out
}

const mfaReportCSV = `user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active
virt,arn:aws:iam::123456789012:user/virt,2025-01-01T00:00:00+00:00,true,N/A,N/A,N/A,true
plain,arn:aws:iam::123456789012:user/plain,2025-01-01T00:00:00+00:00,true,N/A,N/A,N/A,false
hw,arn:aws:iam::123456789012:user/hw,2025-01-01T00:00:00+00:00,true,N/A,N/A,N/A,true
reborn,arn:aws:iam::123456789012:user/reborn,2024-01-01T00:00:00+00:00,true,N/A,N/A,N/A,false
`

func TestFindUserMFA(t *testing.T) {
	f := newMFAFake("")
	c := fakeAuditClient(t, f)
	ctx := context.Background()
	want := map[string]struct {
		serials []string
		source  string
	}{
		"virt":   {[]string{"arn:aws:iam::123456789012:mfa/virt"}, MFASourceVirtual},
		"plain":  {[]string{}, MFASourceReport},
		"hw":     {[]string{"GAHT12345678"}, MFASourceListed},
		"fresh":  {[]string{"arn:aws:iam::123456789012:u2f/user/fresh/key-ABC"}, MFASourceListed},
		"reborn": {[]string{"GAHT87654321"}, MFASourceListed},
	}
	for _, name := range []string{"virt", "plain", "hw", "fresh", "reborn"} {
		got, err := c.FindUserMFA(ctx, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(got.Serials, want[name].serials) || got.Source != want[name].source || got.ReportError != nil {
			t.Errorf("%s: got %+v, want %+v", name, got, want[name])
		}
	}
	// One snapshot, one report (read as is, not generated), and ListMFADevices only where the bulk
	// reads cannot answer.
	for action, n := range map[string]int{"GetAccountAuthorizationDetails": 1, "ListVirtualMFADevices": 1, "GenerateCredentialReport": 0, "GetCredentialReport": 1, "ListMFADevices": 3} {
		if f.Count(action) != n {
			t.Errorf("%s sent %d times, want %d (all calls: %v)", action, f.Count(action), n, f.Counts())
		}
	}
	if !slices.Equal(listedForMFA(f), []string{"hw", "fresh", "reborn"}) {
		t.Errorf("ListMFADevices for %v, want hw, fresh, reborn", listedForMFA(f))
	}
}

func TestFindUserMFA_virtualNeedsNoPerUserRequest(t *testing.T) {
	f := newMFAFake("")
	c := fakeAuditClient(t, f)
	got, err := c.FindUserMFA(context.Background(), "virt")
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != MFASourceVirtual || f.Count("GenerateCredentialReport")+f.Count("ListMFADevices") != 0 {
		t.Errorf("got %+v with calls %v: a user with a virtual device needs neither a new report nor ListMFADevices", got, f.Counts())
	}
}

func TestFindUserMFA_reportDeniedFallsBackPerUser(t *testing.T) {
	f := newMFAFake("AccessDenied")
	c := fakeAuditClient(t, f)
	for _, name := range []string{"plain", "hw", "virt"} {
		got, err := c.FindUserMFA(context.Background(), name)
		if err != nil {
			t.Fatalf("%s: the refresh must not fail without the credential report: %v", name, err)
		}
		if name == "virt" {
			if got.Source != MFASourceVirtual {
				t.Errorf("virt: %+v", got)
			}
			continue
		}
		if got.Source != MFASourceListed || got.ReportError == nil || !strings.Contains(got.ReportError.Error(), "AccessDenied") {
			t.Errorf("%s: got %+v, want the per-user answer and the report's error", name, got)
		}
	}
	if f.Count("GetCredentialReport") != 1 || f.Count("GenerateCredentialReport") != 0 {
		t.Errorf("calls %v, want one GetCredentialReport and no GenerateCredentialReport: a failure is remembered for the process", f.Counts())
	}
	if !slices.Equal(listedForMFA(f), []string{"plain", "hw"}) {
		t.Errorf("ListMFADevices for %v, want plain, hw", listedForMFA(f))
	}
}

func TestFindUserMFA_concurrentReadsShareOneReport(t *testing.T) {
	f := newMFAFake("")
	c := fakeAuditClient(t, f)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.FindUserMFA(context.Background(), "plain"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if f.Count("GenerateCredentialReport") != 0 || f.Count("GetCredentialReport") != 1 || f.Count("ListMFADevices") != 0 {
		t.Errorf("calls = %v, want one report for 20 concurrent reads and no ListMFADevices", f.Counts())
	}
}

func TestSameUser(t *testing.T) {
	created := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { v := created.Add(d); return &v }
	arn := "arn:aws:iam::1:user/a"
	cases := []struct {
		row  CredentialRow
		want bool
	}{
		{CredentialRow{ARN: arn, UserCreationTime: at(0)}, true},
		{CredentialRow{ARN: arn, UserCreationTime: at(time.Second)}, true},
		{CredentialRow{ARN: arn}, true},
		{CredentialRow{ARN: arn, UserCreationTime: at(time.Hour)}, false},
		{CredentialRow{ARN: "arn:aws:iam::1:user/team/a", UserCreationTime: at(0)}, false},
	}
	for i, tc := range cases {
		if got := sameUser(tc.row, arn, created); got != tc.want {
			t.Errorf("case %d: sameUser = %v, want %v", i, got, tc.want)
		}
	}
}
