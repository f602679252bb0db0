package iamfake

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
)

func post(t *testing.T, endpoint string, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(endpoint, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestFakeAnswersAndRecords(t *testing.T) {
	f := New(map[string]string{"GetUser": "<User><UserName>ada</UserName></User>", "GetCallerIdentity": CallerIdentity("123456789012")}).
		Fail("GetLoginProfile", 404, "NoSuchEntity", "no <profile>").
		Handle("GetRole", func(form url.Values) Reply {
			return OK("<Role><RoleName>" + form.Get("RoleName") + "</RoleName></Role>")
		})
	endpoint := f.Start(t)

	cases := []struct {
		form   url.Values
		status int
		body   string
	}{
		{url.Values{"Action": {"GetUser"}, "UserName": {"ada"}}, 200,
			`<GetUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetUserResult><User><UserName>ada</UserName></User></GetUserResult><ResponseMetadata><RequestId>iamfake</RequestId></ResponseMetadata></GetUserResponse>`},
		{url.Values{"Action": {"GetCallerIdentity"}}, 200,
			`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/test</Arn><UserId>AIDATEST</UserId><Account>123456789012</Account></GetCallerIdentityResult>`},
		{url.Values{"Action": {"GetLoginProfile"}}, 404,
			`<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>no &lt;profile&gt;</Message></Error><RequestId>iamfake</RequestId></ErrorResponse>`},
		{url.Values{"Action": {"GetRole"}, "RoleName": {"app"}}, 200, `<GetRoleResult><Role><RoleName>app</RoleName></Role></GetRoleResult>`},
		{url.Values{"Action": {"DeleteUser"}}, 400, `<Code>InvalidAction</Code><Message>unexpected DeleteUser</Message>`},
		{url.Values{"Action": {"GetUser"}, "UserName": {"bob"}}, 200, `<UserName>ada</UserName>`},
	}
	for _, tc := range cases {
		status, body := post(t, endpoint, tc.form)
		if status != tc.status || !strings.Contains(body, tc.body) {
			t.Errorf("%s: %d %s\nwant %d with %s", tc.form.Get("Action"), status, body, tc.status, tc.body)
		}
	}

	if got := strings.Join(f.Actions(), ","); got != "GetUser,GetCallerIdentity,GetLoginProfile,GetRole,DeleteUser,GetUser" {
		t.Errorf("Actions() = %s", got)
	}
	if got := f.Find("GetUser").Get("UserName"); got != "ada" {
		t.Errorf("Find returns the first request: UserName %q", got)
	}
	if all := f.FindAll("GetUser"); len(all) != 2 || all[1].Get("UserName") != "bob" {
		t.Errorf("FindAll = %v", all)
	}
	if f.Find("CreateUser") != nil || f.Count("CreateUser") != 0 || f.Count("GetUser") != 2 {
		t.Errorf("Find/Count of an action not sent: %v %d; Count(GetUser) %d", f.Find("CreateUser"), f.Count("CreateUser"), f.Count("GetUser"))
	}
	if n := f.Counts(); len(n) != 5 || n["GetUser"] != 2 || n["DeleteUser"] != 1 {
		t.Errorf("Counts() = %v", n)
	}
	if len(f.Requests()) != 6 {
		t.Errorf("Requests() = %v", f.Requests())
	}
}

func TestFakeOtherwise(t *testing.T) {
	f := New(nil).Otherwise(Empty)
	status, body := post(t, f.Start(t), url.Values{"Action": {"TagRole"}})
	if status != 200 || !strings.Contains(body, "<TagRoleResult></TagRoleResult>") {
		t.Fatalf("%d %s", status, body)
	}
	f = New(nil).Otherwise(func(url.Values) Reply { return Reply{Code: "Throttling"} })
	if status, body := post(t, f.Start(t), url.Values{"Action": {"TagRole"}}); status != 400 || !strings.Contains(body, "<Code>Throttling</Code>") {
		t.Fatalf("an error without a status is a 400: %d %s", status, body)
	}
}

func TestFakeIsSafeForConcurrentRequests(t *testing.T) {
	f := New(map[string]string{"ListUsers": ""})
	endpoint := f.Start(t)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.PostForm(endpoint, url.Values{"Action": {"ListUsers"}})
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		}()
	}
	wg.Wait()
	if n := f.Count("ListUsers"); n != 20 {
		t.Fatalf("recorded %d of 20 requests", n)
	}
}

func TestIsolateClearsEndpoints(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL", "http://emulator:5000")
	Isolate(t)
	for k, want := range map[string]string{"AWS_ENDPOINT_URL": "", "AWS_ACCESS_KEY_ID": "test", "AWS_REGION": "us-east-1"} {
		if got := os.Getenv(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}
