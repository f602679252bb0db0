package faultproxy

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const authDetails = `<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountAuthorizationDetailsResult><IsTruncated>false</IsTruncated>` +
	`<UserDetailList><member><UserName>ann</UserName><Path>/</Path><UserId>AIDA1</UserId><Arn>arn:aws:iam::123456789012:user/ann</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate><GroupList><member>devs</member></GroupList><Tags><member><Key>UserName</Key><Value>bob</Value></member></Tags></member>` +
	`<member><UserName>bob</UserName><Path>/</Path><UserId>AIDA2</UserId><Arn>arn:aws:iam::123456789012:user/bob</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate><GroupList><member>devs</member></GroupList></member></UserDetailList>` +
	`<GroupDetailList><member><GroupName>devs</GroupName><Path>/</Path><GroupId>AGPA1</GroupId><Arn>arn:aws:iam::123456789012:group/devs</Arn><CreateDate>2025-01-01T00:00:00Z</CreateDate></member></GroupDetailList><RoleDetailList/><Policies/>` +
	`</GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>`

func TestFaultProxy_hideFromBulkReads(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, authDetails)
	}))
	t.Cleanup(upstream.Close)
	proxy := startForTest(t, upstream.URL)
	api := iam.New(iam.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(proxy.URL()),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	users := func() []string {
		t.Helper()
		out, err := api.GetAccountAuthorizationDetails(context.Background(), &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{types.EntityTypeUser}})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range out.UserDetailList {
			names = append(names, aws.ToString(u.UserName))
		}
		if len(out.GroupDetailList) != 1 {
			t.Errorf("groups = %v: hiding a user must leave the rest alone", out.GroupDetailList)
		}
		return names
	}
	proxy.HideFromBulkReads("user", "bob", 1)
	if got := strings.Join(users(), ","); got != "ann" {
		t.Errorf("users while bob is hidden = %s, want ann only (ann's tag naming bob must not matter)", got)
	}
	if got := strings.Join(users(), ","); got != "ann,bob" {
		t.Errorf("users after the hidden read = %s, want ann,bob", got)
	}
	if n := proxy.InjectedOf(FaultStaleRead); n != 1 {
		t.Errorf("stale reads counted = %d, want 1", n)
	}
}

func TestDropListMembers(t *testing.T) {
	got := string(dropListMembers([]byte(authDetails), "GroupDetailList", "GroupName", "devs"))
	if strings.Contains(got, "<GroupName>devs</GroupName>") || !strings.Contains(got, "<member>devs</member>") {
		t.Errorf("dropping the group touched the wrong members:\n%s", got)
	}
	if same := string(dropListMembers([]byte("not xml <"), "Users", "UserName", "x")); same != "not xml <" {
		t.Errorf("unparseable body changed: %s", same)
	}
}

func startForTest(t *testing.T, upstream string) *Proxy {
	t.Helper()
	p, err := New(upstream, Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}
