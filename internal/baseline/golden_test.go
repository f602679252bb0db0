package baseline

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The -update flag rewrites testdata/*.golden.json from the current code:
//
//	go test ./internal/baseline/ -run Golden -update
//
// It is registered only if no other test file of the package already did.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files in testdata/")
	}
}

func updatingGolden() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	getter, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	v, _ := getter.Get().(bool)
	return v
}

// goldenRestrictedOptions is a realistic locked-down configuration.
var goldenRestrictedOptions = Options{
	AllowedRegions:        []string{"us-east-1", "eu-west-1"},
	DeveloperS3BucketARNs: []string{"arn:aws:s3:::acme-dev-artifacts", "arn:aws:s3:::acme-dev-*"},
}

// goldenDelegatedOptions are those of a startup_group_baseline named acme- at /: Developers delegate
// app roles under the app boundary.
var goldenDelegatedOptions = Options{NamePrefix: "acme-", DelegateAppRoles: true}

var goldenRestrictedDelegatedOptions = Options{
	NamePrefix: "acme-", DelegateAppRoles: true, PolicyPath: "/baseline/",
	AllowedRegions:        goldenRestrictedOptions.AllowedRegions,
	DeveloperS3BucketARNs: goldenRestrictedOptions.DeveloperS3BucketARNs,
}

func goldenDocuments(t *testing.T) map[string]PolicyDocument {
	t.Helper()
	docs := map[string]PolicyDocument{
		"mfa.first-login":  MFAPolicy(true),
		"mfa.strict":       MFAPolicy(false),
		"trust.service":    TrustPolicy([]string{"lambda.amazonaws.com", "ec2.amazonaws.com"}, nil, false, ""),
		"trust.accounts":   TrustPolicy(nil, []string{"210987654321", "123456789012"}, true, "acme-ext-id"),
		"trust.both-kinds": TrustPolicy([]string{"ec2.amazonaws.com"}, []string{"123456789012"}, false, ""),
		"trust.protected": TrustPolicyFor("aws", TrustInputs{Services: []string{"ec2.amazonaws.com", "config.amazonaws.com", "states.amazonaws.com"},
			ConfusedDeputyProtection: true, SourceAccount: "123456789012", SourceARNs: []string{"arn:aws:states:us-east-1:123456789012:stateMachine:acme-*", "arn:aws:config:us-east-1:123456789012:*"}}),
		"trust.principals": TrustPolicyFor("aws", TrustInputs{AccountIDs: []string{"210987654321"},
			PrincipalARNs: []string{"arn:aws:iam::111122223333:role/ci/deployer", "arn:aws:iam::111122223333:user/auditor"}, RequireMFA: true, ExternalID: "acme-ext-id"}),
	}
	for variant, opts := range map[string]Options{"default": goldenDelegatedOptions, "restricted": goldenRestrictedDelegatedOptions} {
		doc, err := AppBoundaryPolicy(opts)
		if err != nil {
			t.Fatalf("AppBoundaryPolicy(%s): %v", variant, err)
		}
		docs["app_boundary."+variant] = doc
		if docs["developers.delegated."+variant], err = GroupPolicy(RoleDevelopers, opts); err != nil {
			t.Fatalf("GroupPolicy(Developers, delegated %s): %v", variant, err)
		}
		if docs["guardrails.delegated."+variant], err = GuardrailPolicy(opts); err != nil {
			t.Fatalf("GuardrailPolicy(delegated %s): %v", variant, err)
		}
	}
	for _, key := range RoleKeys() {
		for variant, opts := range map[string]Options{"default": {}, "restricted": goldenRestrictedOptions} {
			doc, err := GroupPolicy(key, opts)
			if err != nil {
				t.Fatalf("GroupPolicy(%s, %s): %v", key, variant, err)
			}
			docs[strings.ToLower(key)+"."+variant] = doc
		}
	}
	for variant, opts := range map[string]Options{"default": {}, "restricted": goldenRestrictedOptions} {
		doc, err := GuardrailPolicy(opts)
		if err != nil {
			t.Fatalf("GuardrailPolicy(%s): %v", variant, err)
		}
		docs["guardrails."+variant] = doc
	}
	return docs
}

func TestGoldenPolicies(t *testing.T) {
	for name, doc := range goldenDocuments(t) {
		t.Run(name, func(t *testing.T) {
			got, err := doc.JSON()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".golden.json")
			if updatingGolden() {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got+"\n" != string(want) {
				t.Errorf("%s differs from the golden file; if the change is intended, run go test -update and review the diff.\ngot:\n%s", path, got)
			}
			// The golden file is also a policy IAM would accept back.
			equivalent, err := PoliciesEquivalent(string(want), got)
			if err != nil || !equivalent {
				t.Errorf("golden file does not parse back equivalent: %v", err)
			}
		})
	}
}
