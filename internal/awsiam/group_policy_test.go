package awsiam

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// newRecordingClient is a client of a fake IAM that answers each action from answers (the inner
// XML of its result) and records the requests.
func newRecordingClient(t *testing.T, answers map[string]string) (*Client, *iamfake.Fake) {
	t.Helper()
	rec := iamfake.New(answers)
	return newFakeClient(t, rec, Config{}), rec
}

func versionsXML(defaultID string, ids ...string) string {
	var b strings.Builder
	b.WriteString("<IsTruncated>false</IsTruncated><Versions>")
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, id := range ids {
		n := versionNumber(id)
		fmt.Fprintf(&b, "<member><VersionId>%s</VersionId><IsDefaultVersion>%t</IsDefaultVersion><CreateDate>%s</CreateDate></member>",
			id, id == defaultID, base.Add(time.Duration(n)*time.Hour).Format(time.RFC3339))
	}
	b.WriteString("</Versions>")
	return b.String()
}

const createVersionXML = `<PolicyVersion><VersionId>v6</VersionId><IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>`

func TestCreatePolicyVersion_prunesOldestNonDefaultAtQuota(t *testing.T) {
	const arn = "arn:aws:iam::123456789012:policy/acme-DevelopersPolicy"
	cases := []struct {
		name, defaultID, wantDeleted string
		listed                       []string
	}{
		{"default is newest", "v5", "v1", []string{"v3", "v5", "v1", "v4", "v2"}},
		{"default is oldest", "v1", "v2", []string{"v5", "v4", "v3", "v2", "v1"}},
		{"default in the middle, listed newest first", "v3", "v1", []string{"v5", "v4", "v3", "v2", "v1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, rec := newRecordingClient(t, map[string]string{
				"ListPolicyVersions":  versionsXML(tc.defaultID, tc.listed...),
				"DeletePolicyVersion": "",
				"CreatePolicyVersion": createVersionXML,
			})
			if err := c.CreatePolicyVersion(context.Background(), arn, `{"Version":"2012-10-17","Statement":[]}`); err != nil {
				t.Fatal(err)
			}
			if got, want := strings.Join(rec.Actions(), ","), "ListPolicyVersions,DeletePolicyVersion,CreatePolicyVersion"; got != want {
				t.Fatalf("actions = %s, want %s", got, want)
			}
			del := rec.Find("DeletePolicyVersion")
			if del.Get("VersionId") != tc.wantDeleted || del.Get("PolicyArn") != arn {
				t.Errorf("DeletePolicyVersion %v, want VersionId=%s of %s", del, tc.wantDeleted, arn)
			}
			create := rec.Find("CreatePolicyVersion")
			if create.Get("SetAsDefault") != "true" || create.Get("PolicyArn") != arn || !strings.Contains(create.Get("PolicyDocument"), "2012-10-17") {
				t.Errorf("CreatePolicyVersion %v, want SetAsDefault=true with the document", create)
			}
		})
	}
}

func TestCreatePolicyVersion_noPruneBelowQuota(t *testing.T) {
	c, rec := newRecordingClient(t, map[string]string{
		"ListPolicyVersions":  versionsXML("v4", "v4", "v3", "v2", "v1"),
		"CreatePolicyVersion": createVersionXML,
	})
	if err := c.CreatePolicyVersion(context.Background(), "arn:aws:iam::123456789012:policy/p", `{}`); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rec.Actions(), ","); got != "ListPolicyVersions,CreatePolicyVersion" {
		t.Fatalf("actions = %s", got)
	}
	if rec.Find("CreatePolicyVersion").Get("SetAsDefault") != "true" {
		t.Error("new version not set as default")
	}
}

func TestOldestNonDefaultVersion_withoutDates(t *testing.T) {
	vs := []types.PolicyVersion{
		{VersionId: aws.String("v10")}, {VersionId: aws.String("v9"), IsDefaultVersion: true}, {VersionId: aws.String("v8")},
	}
	if got := oldestNonDefaultVersion(vs); got != "v8" {
		t.Fatalf("got %s, want v8", got)
	}
	if got := oldestNonDefaultVersion([]types.PolicyVersion{{VersionId: aws.String("v1"), IsDefaultVersion: true}}); got != "" {
		t.Fatalf("got %s, want none", got)
	}
}

func TestDecodePolicyDocument(t *testing.T) {
	for in, want := range map[string]string{
		`%7B%22Resource%22%3A%22arn%3Aaws%3Aiam%3A%3A%2A%3Auser%2Fa%2Bb%20c%22%7D`: `{"Resource":"arn:aws:iam::*:user/a+b c"}`,
		`{"Resource":"arn:aws:iam::*:user/a+b"}`:                                   `{"Resource":"arn:aws:iam::*:user/a+b"}`,
		`{"Sid":"100%"}`:                                                           `{"Sid":"100%"}`,
	} {
		if got, _ := DecodePolicyDocument(in); got != want {
			t.Errorf("DecodePolicyDocument(%s) = %s, want %s", in, got, want)
		}
	}
}
