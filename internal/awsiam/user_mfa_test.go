package awsiam

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

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
