package provider

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	providerschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsactivity"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// Bad input fails at validate time, before any API call, naming the attribute and the fix.
func TestActivityAlertsValidation(t *testing.T) {
	custom := func(pattern string) map[string]any {
		return map[string]any{"kms_deletion": map[string]any{"pattern": pattern, "description": "KMS key scheduled for deletion"}}
	}
	testConfigCases(t, "iambaseline_activity_alerts", map[string]any{"trail_name": "main", "email_addresses": []string{"security@example.com"}}, []configCase{
		{"defaults", nil, "", ""},
		{"everything", map[string]any{"https_endpoints": []string{"https://hooks.example.com/a"}, "log_retention_days": 400,
			"alerts": map[string]any{"root_usage": false}, "custom_alerts": custom(`{ $.eventName = "ScheduleKeyDeletion" }`),
			"kms_key_arn":   "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
			"sns_topic_arn": "arn:aws:sns:us-east-1:123456789012:alerts", "s3_bucket_name": "acme-trail", "use_existing_bucket": true}, "", ""},
		{"trail name too short", map[string]any{"trail_name": "ab"}, "trail_name", "3 to 41 characters"},
		{"trail name bad characters", map[string]any{"trail_name": "my trail"}, "trail_name", "letters, digits, periods"},
		{"trail name double separator", map[string]any{"trail_name": "a--b"}, "trail_name", "no two separators"},
		{"default bucket too long", map[string]any{"trail_name": strings.Repeat("a", 35)}, "s3_bucket_name", "Set s3_bucket_name"},
		{"bad bucket", map[string]any{"s3_bucket_name": "Acme_Trail"}, "s3_bucket_name", "not a valid S3 bucket name"},
		{"existing bucket without name", map[string]any{"use_existing_bucket": true}, "s3_bucket_name", "needs s3_bucket_name"},
		{"bad retention", map[string]any{"log_retention_days": 100}, "log_retention_days", "365 or more keeps a year"},
		{"unknown alert key", map[string]any{"alerts": map[string]any{"root_login": false}}, "alerts", "root_usage"},
		{"custom key is built in", map[string]any{"custom_alerts": map[string]any{"root_usage": map[string]any{"pattern": "{ $.a = 1 }", "description": "d"}}}, "custom_alerts", "built-in alerts"},
		{"custom key bad", map[string]any{"custom_alerts": map[string]any{"Bad-Key": map[string]any{"pattern": "{ $.a = 1 }", "description": "d"}}}, "custom_alerts", "lowercase letters"},
		{"custom pattern unbalanced", map[string]any{"custom_alerts": custom(`{ $.eventName = "X"`)}, "pattern", "enclosed in { and }"},
		{"custom pattern too long", map[string]any{"custom_alerts": custom("{" + strings.Repeat("x", 1024) + "}")}, "pattern", "1024"},
		{"bad email", map[string]any{"email_addresses": []string{"not-an-email"}}, "email_addresses", "email address"},
		{"http endpoint", map[string]any{"https_endpoints": []string{"http://hooks.example.com"}}, "https_endpoints", "https://"},
		{"topic not sns", map[string]any{"sns_topic_arn": "arn:aws:sqs:us-east-1:123456789012:q"}, "sns_topic_arn", `expected "sns"`},
		{"kms not kms", map[string]any{"kms_key_arn": "alias/aws/s3"}, "kms_key_arn", "is not an ARN"},
	})
}

// Without any subscription nobody hears the alerts: a warning says so.
func TestActivityAlertsValidation_warnsWithoutSubscribers(t *testing.T) {
	diags := validateConfig(t, resourceSchema, "iambaseline_activity_alerts", map[string]any{"trail_name": "main"})
	if !strings.Contains(diagText(diags), "Nobody will hear the alerts") {
		t.Fatalf("no warning: %s", diagText(diags))
	}
}

// Every alert key of the catalogue is documented in the schema with its CIS number.
func TestActivityAlertsSchema_documentsEveryAlert(t *testing.T) {
	var resp resource.SchemaResponse
	(&activityAlertsResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	desc := resp.Schema.Attributes["alerts"].GetMarkdownDescription()
	for _, a := range baseline.ActivityAlerts {
		want := "`" + a.Key + "`"
		if a.CISControl != "" {
			want += " (CIS " + a.CISControl + ")"
		}
		if !strings.Contains(desc, want) {
			t.Errorf("alerts description lacks %s", want)
		}
	}
}

// The provider's endpoints block covers every service the resource talks to.
func TestProviderEndpoints_coverActivityServices(t *testing.T) {
	var resp provider.SchemaResponse
	(&iambaselineProvider{}).Schema(context.Background(), provider.SchemaRequest{}, &resp)
	block, ok := resp.Schema.Blocks["endpoints"].(providerschema.SingleNestedBlock)
	if !ok {
		t.Fatal("no endpoints block")
	}
	attrs := slices.Collect(maps.Keys(block.Attributes))
	for _, key := range []string{awsactivity.EndpointCloudTrail, awsactivity.EndpointLogs, awsactivity.EndpointCloudWatch, awsactivity.EndpointSNS, awsactivity.EndpointS3} {
		if !slices.Contains(attrs, key) {
			t.Errorf("endpoints block lacks %q", key)
		}
	}
}

// A subscription waiting for its email confirmation is kept (no drift); one removed out of band is
// dropped from the list, so that the plan shows it and apply subscribes it again.
func TestKeepSubscribed(t *testing.T) {
	topic := &awsactivity.Topic{Subscriptions: []awsactivity.Subscription{
		{ARN: "PendingConfirmation", Protocol: "email", Endpoint: "a@example.com"},
		{ARN: "arn:aws:sns:us-east-1:123456789012:t:1", Protocol: "email", Endpoint: "c@example.com"},
		{ARN: "arn:aws:sns:us-east-1:123456789012:t:2", Protocol: "https", Endpoint: "https://x.example.com"},
	}}
	got := keepSubscribed(stringList([]string{"a@example.com", "b@example.com"}), "email", topic, false)
	if want := stringList([]string{"a@example.com"}); !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	imported := keepSubscribed(stringList(nil), "email", topic, true)
	if want := stringList([]string{"a@example.com", "c@example.com"}); !imported.Equal(want) {
		t.Errorf("import: got %v, want %v", imported, want)
	}
}
