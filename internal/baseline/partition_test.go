package baseline

import "testing"

// The console sign-in host depends on the partition: China and GovCloud have their own.
func TestConsoleSignInURLPerPartition(t *testing.T) {
	for partition, want := range map[string]string{
		"":           "https://123456789012.signin.aws.amazon.com/console",
		"aws":        "https://123456789012.signin.aws.amazon.com/console",
		"aws-cn":     "https://123456789012.signin.amazonaws.cn/console",
		"aws-us-gov": "https://123456789012.signin.amazonaws-us-gov.com/console",
	} {
		if got := ConsoleSignInURL(partition, "123456789012"); got != want {
			t.Errorf("%q: %s, want %s", partition, got, want)
		}
	}
}

func TestPartitionForRegion(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1": "aws", "eu-west-3": "aws", "": "aws",
		"cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn",
		"us-gov-west-1": "aws-us-gov", "us-gov-east-1": "aws-us-gov",
	} {
		if got := PartitionForRegion(region); got != want {
			t.Errorf("%q: %s, want %s", region, got, want)
		}
	}
}

func TestPartitionAwareARNs(t *testing.T) {
	if got := PolicyARN("aws-cn", "123456789012", "/people/", "acme-ReadOnlyPolicy"); got != "arn:aws-cn:iam::123456789012:policy/people/acme-ReadOnlyPolicy" {
		t.Error(got)
	}
	if got := GroupARN("aws-us-gov", "123456789012", "/", "acme-ReadOnly"); got != "arn:aws-us-gov:iam::123456789012:group/acme-ReadOnly" {
		t.Error(got)
	}
	if got := ARNAccount("arn:aws-cn:iam::123456789012:group/x"); got != "123456789012" {
		t.Error(got)
	}
}
