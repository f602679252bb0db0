package acctest

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/faultproxy"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// The test client (IAM) survives a lost create answer in test setup: the retry met the user its
// first attempt made, which is returned as created. A create that conflicts on its first attempt is
// still an error.
func TestIAM_retriedCreateAfterLostAnswer(t *testing.T) {
	var mu sync.Mutex
	users := map[string]bool{}
	userXML := func(name string) string {
		return fmt.Sprintf(`<User><Path>/</Path><UserName>%s</UserName><UserId>AIDA%s</UserId><Arn>arn:aws:iam::123456789012:user/%s</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></User>`, name, name, name)
	}
	fake := iamfake.New(nil).
		Handle("CreateUser", func(form url.Values) iamfake.Reply {
			mu.Lock()
			defer mu.Unlock()
			name := form.Get("UserName")
			if users[name] {
				return iamfake.Error(409, "EntityAlreadyExists", "User with name "+name+" already exists.")
			}
			users[name] = true
			return iamfake.OK(userXML(name))
		}).
		Handle("GetUser", func(form url.Values) iamfake.Reply {
			mu.Lock()
			defer mu.Unlock()
			name := form.Get("UserName")
			if !users[name] {
				return iamfake.Error(404, "NoSuchEntity", "The user with name "+name+" cannot be found.")
			}
			return iamfake.OK(userXML(name))
		})
	upstream := fake.Start(t)
	proxy := StartFaultProxy(t, upstream, faultproxy.Config{LostWriteResponseShare: 1, MaxFaults: 1})
	t.Setenv("AWS_ENDPOINT_URL", proxy.URL())
	client := IAM(t)
	out, err := client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("erin")})
	if err != nil {
		t.Fatalf("create whose answer was lost: %v", err)
	}
	if got := aws.ToString(out.User.UserName); got != "erin" {
		t.Errorf("user = %s", got)
	}
	if fake.Count("CreateUser") != 2 || proxy.InjectedOf(faultproxy.FaultLostResponse) != 1 {
		t.Errorf("CreateUser executed %d times (want 2); %s", fake.Count("CreateUser"), proxy.Summary())
	}
	_, err = client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("erin")})
	if code := awsiam.ErrorCode(err); code != "EntityAlreadyExists" {
		t.Errorf("create of an existing user at the first attempt: %v, want EntityAlreadyExists", err)
	}
}
