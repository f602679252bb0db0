package awsactivity

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// Every service of the activity alerts follows AWS_ENDPOINT_URL_<SERVICE>, and the provider's endpoints
// block wins over it.
func TestNew_endpoints(t *testing.T) {
	for _, tc := range []struct {
		name  string
		block bool
	}{{"environment", false}, {"endpoints block wins", true}} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeAWS{replies: map[string][]func(w http.ResponseWriter){}}
			iamfake.Isolate(t)
			srv := httptest.NewServer(f)
			t.Cleanup(srv.Close)
			f.on("GetCallerIdentity", queryReply("GetCallerIdentity", iamfake.CallerIdentity(testAccount)))
			f.on("CloudTrail_20131101.DescribeTrails", jsonReply(200, `{"trailList":[]}`))
			f.on("DescribeAlarms", queryReply("DescribeAlarms", `<MetricAlarms></MetricAlarms>`))
			f.on("ListSubscriptions", queryReply("ListSubscriptions", `<Subscriptions></Subscriptions>`))
			env := srv.URL
			cfg := awsiam.Config{IAMEndpoint: srv.URL, STSEndpoint: srv.URL, MaxRetries: 1}
			if tc.block {
				env = "http://127.0.0.1:1" // nothing listens there
				cfg.ServiceEndpoints = map[string]string{EndpointCloudTrail: srv.URL, EndpointLogs: srv.URL, EndpointCloudWatch: srv.URL, EndpointSNS: srv.URL, EndpointS3: srv.URL}
			}
			for _, k := range []string{"CLOUDTRAIL", "CLOUDWATCH_LOGS", "CLOUDWATCH", "SNS", "S3"} {
				t.Setenv("AWS_ENDPOINT_URL_"+k, env)
			}
			iamClient, err := awsiam.NewClient(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			c := New(iamClient)
			if _, err := c.ReadActivityFacts(context.Background()); err != nil {
				t.Fatal(err)
			}
			if _, _, err := c.readBucketPolicy(context.Background(), "trail-bucket"); err != nil {
				t.Fatal(err)
			}
			if _, err := c.FindLogGroup(context.Background(), "g"); !IsNotFound(err) {
				t.Fatalf("log group: %v", err)
			}
			for _, op := range []string{"CloudTrail_20131101.DescribeTrails", "DescribeAlarms", "ListSubscriptions", "S3 GET /trail-bucket?policy", "Logs_20140328.DescribeLogGroups"} {
				if len(f.all(op)) != 1 {
					t.Errorf("%s did not reach the endpoint (path-style S3 included)", op)
				}
			}
		})
	}
}

// A trail deleted between DescribeTrails and its status read (another apply, a parallel test) is left
// out instead of failing the audit.
func TestReadActivityFacts_trailDeletedMeanwhile(t *testing.T) {
	c, f := newFakeClient(t)
	f.on("CloudTrail_20131101.DescribeTrails", jsonReply(200, `{"trailList":[{"Name":"gone","TrailARN":"arn:aws:cloudtrail:us-east-1:123456789012:trail/gone","IsMultiRegionTrail":true,"HomeRegion":"us-east-1"}]}`))
	f.on("CloudTrail_20131101.GetTrailStatus", jsonReply(400, `{"__type":"TrailNotFoundException","message":"Unknown trail"}`))
	f.on("DescribeAlarms", queryReply("DescribeAlarms", `<MetricAlarms></MetricAlarms>`))
	f.on("ListSubscriptions", queryReply("ListSubscriptions", `<Subscriptions></Subscriptions>`))
	facts, err := c.ReadActivityFacts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(facts.Trails) != 0 {
		t.Fatalf("trails %+v", facts.Trails)
	}
}
