package baseline

import (
	"slices"
	"testing"
)

// An imported role in any partition gives back the arguments its trust policy was built from,
// whatever its statement IDs: IAM keeps them, but they grant nothing.
func TestParseTrustPolicyPerPartition(t *testing.T) {
	in := TrustInputs{Services: []string{"lambda.amazonaws.com"}, AccountIDs: []string{"111122223333", "444455556666"}, RequireMFA: true, ExternalID: "acme-ext"}
	for _, partition := range []string{"aws", "aws-cn", "aws-us-gov"} {
		t.Run(partition, func(t *testing.T) {
			built, err := TrustPolicyFor(partition, in).JSON()
			if err != nil {
				t.Fatal(err)
			}
			got, ok := ParseTrustPolicy(built, partition)
			if !ok {
				t.Fatalf("trust policy of %s not recovered:\n%s", partition, built)
			}
			if !slices.Equal(got.Services, in.Services) || !slices.Equal(got.AccountIDs, in.AccountIDs) || got.RequireMFA != in.RequireMFA || got.ExternalID != in.ExternalID {
				t.Fatalf("got %+v, want %+v", got, in)
			}
			// Written by hand: no Sids, another order, a single string for a one-element list.
			hand := `{"Version":"2012-10-17","Statement":[` +
				`{"Effect":"Allow","Principal":{"AWS":["arn:` + partition + `:iam::444455556666:root","arn:` + partition + `:iam::111122223333:root"]},"Action":"sts:AssumeRole",` +
				`"Condition":{"StringEquals":{"sts:ExternalId":"acme-ext"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}},` +
				`{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":["sts:AssumeRole"]}]}`
			got, ok = ParseTrustPolicy(hand, partition)
			if !ok || !slices.Equal(got.AccountIDs, in.AccountIDs) || !got.RequireMFA || got.ExternalID != "acme-ext" {
				t.Fatalf("hand-written trust policy of %s: %+v, %v", partition, got, ok)
			}
		})
	}
}

// A principal of another partition is not what the provider builds for this one.
func TestParseTrustPolicyRefusesAnotherPartition(t *testing.T) {
	doc, err := TrustPolicyFor("aws", TrustInputs{AccountIDs: []string{"111122223333"}}).JSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, partition := range []string{"aws-cn", "aws-us-gov"} {
		if got, ok := ParseTrustPolicy(doc, partition); ok {
			t.Errorf("%s: recovered %+v from a commercial-partition trust policy", partition, got)
		}
	}
}

func TestParseTrustPolicyRefusesWhatItCannotBuild(t *testing.T) {
	for name, doc := range map[string]string{
		"deny":             `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		"other action":     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:TagSession"}]}`,
		"other condition":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`,
		"a role principal": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/x"},"Action":"sts:AssumeRole"}]}`,
		"not JSON":         `{`,
	} {
		if got, ok := ParseTrustPolicy(doc, "aws"); ok {
			t.Errorf("%s: recovered %+v", name, got)
		}
	}
}
