package provider

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// capturedIAM is an httptest IAM endpoint that records the form-encoded query requests and answers
// from canned XML results keyed by action.
type capturedIAM struct {
	mu       sync.Mutex
	requests []url.Values
	answers  map[string]string
}

func (c *capturedIAM) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	form, _ := url.ParseQuery(string(body))
	c.mu.Lock()
	c.requests = append(c.requests, form)
	c.mu.Unlock()
	action := form.Get("Action")
	result, ok := c.answers[action]
	if !ok {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>unexpected %s</Message></Error><RequestId>r</RequestId></ErrorResponse>`, action)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%sResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">%s<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></%sResponse>`, action, result, action)
}

func (c *capturedIAM) find(action string) url.Values {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range c.requests {
		if f.Get("Action") == action {
			return f
		}
	}
	return nil
}

func (c *capturedIAM) actions() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, f := range c.requests {
		out = append(out, f.Get("Action"))
	}
	return strings.Join(out, ",")
}

func newCapturedClient(t *testing.T, answers map[string]string) (*awsiam.Client, *capturedIAM) {
	t.Helper()
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_ENDPOINT_URL": "",
		"AWS_ENDPOINT_URL_IAM": "", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"} {
		t.Setenv(k, v)
	}
	rec := &capturedIAM{answers: answers}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	c, err := awsiam.NewClient(context.Background(), awsiam.Config{Region: "us-east-1", IAMEndpoint: srv.URL, SkipCredentialsValidation: true})
	if err != nil {
		t.Fatal(err)
	}
	return c, rec
}

// A path change moves the groups in place with UpdateGroup (moto ignores NewPath, so this is checked
// on the requests) and replaces the policies, which IAM cannot move.
func TestReconcileBaseline_pathChange(t *testing.T) {
	doc, err := baseline.GroupPolicy(baseline.RoleReadOnly, baseline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	docJSON, _ := doc.JSON()
	const (
		oldARN = "arn:aws:iam::123456789012:policy/acme-ReadOnlyPolicy"
		newARN = "arn:aws:iam::123456789012:policy/people/acme-ReadOnlyPolicy"
	)
	c, rec := newCapturedClient(t, map[string]string{
		"GetAccountAuthorizationDetails": `<GetAccountAuthorizationDetailsResult><IsTruncated>false</IsTruncated>
<GroupDetailList><member><GroupName>acme-ReadOnly</GroupName><Path>/</Path><GroupId>G1</GroupId>
<Arn>arn:aws:iam::123456789012:group/acme-ReadOnly</Arn>
<AttachedManagedPolicies><member><PolicyName>acme-ReadOnlyPolicy</PolicyName><PolicyArn>` + oldARN + `</PolicyArn></member></AttachedManagedPolicies>
</member></GroupDetailList>
<Policies><member><PolicyName>acme-ReadOnlyPolicy</PolicyName><Arn>` + oldARN + `</Arn><Path>/</Path><DefaultVersionId>v1</DefaultVersionId>
<PolicyVersionList><member><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><Document>` + url.QueryEscape(docJSON) + `</Document></member></PolicyVersionList>
</member></Policies></GetAccountAuthorizationDetailsResult>`,
		"ListUsers":             `<ListUsersResult><IsTruncated>false</IsTruncated><Users/></ListUsersResult>`,
		"ListVirtualMFADevices": `<ListVirtualMFADevicesResult><IsTruncated>false</IsTruncated><VirtualMFADevices/></ListVirtualMFADevicesResult>`,
		"ListEntitiesForPolicy": `<ListEntitiesForPolicyResult><IsTruncated>false</IsTruncated><PolicyGroups><member><GroupName>acme-ReadOnly</GroupName></member></PolicyGroups></ListEntitiesForPolicyResult>`,
		"DetachGroupPolicy":     ``,
		"ListPolicyVersions":    `<ListPolicyVersionsResult><IsTruncated>false</IsTruncated><Versions><member><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion></member></Versions></ListPolicyVersionsResult>`,
		"DeletePolicy":          ``,
		"CreatePolicy":          `<CreatePolicyResult><Policy><PolicyName>acme-ReadOnlyPolicy</PolicyName><Path>/people/</Path><Arn>` + newARN + `</Arn></Policy></CreatePolicyResult>`,
		"UpdateGroup":           ``,
		"AttachGroupPolicy":     ``,
	})
	spec := func(path string) baselineSpec {
		return baselineSpec{Prefix: "acme-", Path: path, Style: policyStyleLeastPrivilege,
			Policy: policyArgs{RoleKeys: []string{baseline.RoleReadOnly}, LeastPrivilege: true, Partition: "aws"}}
	}
	old, updated := spec("/"), spec("/people/")
	docs, err := updated.Policy.renderDocuments()
	if err != nil {
		t.Fatal(err)
	}
	out, err := reconcileBaseline(context.Background(), c, &old, updated, docs)
	if err != nil {
		t.Fatal(err)
	}
	want := "GetAccountAuthorizationDetails,ListUsers,ListVirtualMFADevices," +
		"ListEntitiesForPolicy,DetachGroupPolicy,ListPolicyVersions,DeletePolicy,CreatePolicy,UpdateGroup,AttachGroupPolicy"
	if got := rec.actions(); got != want {
		t.Fatalf("requests\n %s\nwant\n %s", got, want)
	}
	if f := rec.find("UpdateGroup"); f.Get("GroupName") != "acme-ReadOnly" || f.Get("NewPath") != "/people/" || f.Get("NewGroupName") != "" {
		t.Errorf("UpdateGroup %v, want NewPath=/people/ for acme-ReadOnly", f)
	}
	if f := rec.find("CreatePolicy"); f.Get("Path") != "/people/" || f.Get("PolicyName") != "acme-ReadOnlyPolicy" {
		t.Errorf("CreatePolicy %v", f)
	}
	if f := rec.find("AttachGroupPolicy"); f.Get("PolicyArn") != newARN {
		t.Errorf("AttachGroupPolicy %v, want the new policy", f)
	}
	if got := out.GroupARNs[baseline.RoleReadOnly]; got != "arn:aws:iam::123456789012:group/people/acme-ReadOnly" {
		t.Errorf("group ARN %s", got)
	}
	if got := out.PolicyARNs[baseline.RoleReadOnly]; got != newARN {
		t.Errorf("policy ARN %s", got)
	}
}
