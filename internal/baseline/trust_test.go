package baseline

import (
	"slices"
	"strings"
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
		"deny":                        `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		"other action":                `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:TagSession"}]}`,
		"other condition":             `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`,
		"a role of another partition": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws-cn:iam::111122223333:role/x"},"Action":"sts:AssumeRole"}]}`,
		"a session principal":         `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/x/s"},"Action":"sts:AssumeRole"}]}`,
		"a deleted role's unique ID":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"AROAEXAMPLEEXAMPLE"},"Action":"sts:AssumeRole"}]}`,
		"source IP on a service":      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`,
		"source ARN without account":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:config:*:111122223333:*"}}}]}`,
		"condition on EC2":            `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}`,
		"protected and not":           `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}},{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		"not JSON":                    `{`,
	} {
		if got, ok := ParseTrustPolicy(doc, "aws"); ok {
			t.Errorf("%s: recovered %+v", name, got)
		}
	}
}

// Every kind of argument comes back from the policy it builds, in every partition: services that
// send source context with and without protection, source ARNs, trusted principals next to
// trusted accounts.
func TestParseTrustPolicyRecoversEveryArgument(t *testing.T) {
	for _, partition := range []string{"aws", "aws-cn", "aws-us-gov"} {
		for name, in := range map[string]TrustInputs{
			"protected services": {Services: []string{"config.amazonaws.com", "ec2.amazonaws.com", "states.amazonaws.com"},
				ConfusedDeputyProtection: true, SourceAccount: "123456789012",
				SourceARNs: []string{"arn:" + partition + ":states:*:123456789012:stateMachine:*", "arn:" + partition + ":config:us-east-1:123456789012:*"}},
			"protection off": {Services: []string{"config.amazonaws.com"}, SourceAccount: "123456789012"},
			"no service sends context": {Services: []string{"ec2.amazonaws.com", "lambda.amazonaws.com"},
				ConfusedDeputyProtection: true},
			"principals": {AccountIDs: []string{"111122223333"}, RequireMFA: true, ExternalID: "acme",
				PrincipalARNs:            []string{"arn:" + partition + ":iam::444455556666:role/ci/deployer", "arn:" + partition + ":iam::444455556666:user/auditor"},
				ConfusedDeputyProtection: true},
			"everything": {Services: []string{"scheduler.amazonaws.com"}, ConfusedDeputyProtection: true, SourceAccount: "123456789012",
				PrincipalARNs: []string{"arn:" + partition + ":iam::444455556666:role/x"}},
		} {
			t.Run(partition+"/"+name, func(t *testing.T) {
				built, err := TrustPolicyFor(partition, in).JSON()
				if err != nil {
					t.Fatal(err)
				}
				got, ok := ParseTrustPolicy(built, partition)
				if !ok {
					t.Fatalf("not recovered:\n%s", built)
				}
				want := in
				want.Services, want.AccountIDs, want.PrincipalARNs, want.SourceARNs = sortedSet(in.Services), sortedSet(in.AccountIDs), sortedSet(in.PrincipalARNs), sortedSet(in.SourceARNs)
				if !want.ConfusedDeputyProtection || !anySendsSourceContext(in.Services) {
					want.SourceAccount = "" // not in the document
				}
				if !slices.Equal(got.Services, want.Services) || !slices.Equal(got.AccountIDs, want.AccountIDs) ||
					!slices.Equal(got.PrincipalARNs, want.PrincipalARNs) || !slices.Equal(got.SourceARNs, want.SourceARNs) ||
					got.RequireMFA != want.RequireMFA || got.ExternalID != want.ExternalID ||
					got.ConfusedDeputyProtection != want.ConfusedDeputyProtection || got.SourceAccount != want.SourceAccount {
					t.Fatalf("got  %+v\nwant %+v\nfrom %s", got, want, built)
				}
			})
		}
	}
}

// A console-made Config role written as AWS's Config guide shows it (no Sid, "AWS:SourceAccount")
// is recovered with protection on.
func TestParseTrustPolicyByMeaningOfConditionKeys(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"sts:AssumeRole",` +
		`"Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"},"ArnLike":{"AWS:SourceArn":"arn:aws:config:us-east-1:123456789012:*"}}}]}`
	got, ok := ParseTrustPolicy(doc, "aws")
	if !ok || !got.ConfusedDeputyProtection || got.SourceAccount != "123456789012" ||
		!slices.Equal(got.SourceARNs, []string{"arn:aws:config:us-east-1:123456789012:*"}) {
		t.Fatalf("got %+v, %v", got, ok)
	}
}

// The builder adds the condition to exactly the services that send source context, and only when
// it knows the account.
func TestTrustPolicyForConfusedDeputyPerServiceKind(t *testing.T) {
	condition := func(doc PolicyDocument, service string) map[string]map[string][]string {
		for _, s := range doc.Statements {
			if s.Principal != nil && slices.Contains(s.Principal.Service, service) {
				return s.Condition
			}
		}
		t.Fatalf("%s is not trusted: %+v", service, doc.Statements)
		return nil
	}
	in := TrustInputs{Services: []string{"ec2.amazonaws.com", "lambda.amazonaws.com", "config.amazonaws.com", "scheduler.amazonaws.com"},
		ConfusedDeputyProtection: true, SourceAccount: "123456789012", SourceARNs: []string{"arn:aws:scheduler:*:123456789012:schedule-group/*"}}
	doc := TrustPolicyFor("aws", in)
	for _, s := range []string{"ec2.amazonaws.com", "lambda.amazonaws.com"} {
		if c := condition(doc, s); c != nil {
			t.Errorf("%s got a condition that would refuse it: %v", s, c)
		}
	}
	for _, s := range []string{"config.amazonaws.com", "scheduler.amazonaws.com"} {
		c := condition(doc, s)
		if !slices.Equal(c["StringEquals"]["aws:SourceAccount"], []string{"123456789012"}) ||
			!slices.Equal(c["ArnLike"]["aws:SourceArn"], []string{"arn:aws:scheduler:*:123456789012:schedule-group/*"}) {
			t.Errorf("%s condition = %v", s, c)
		}
	}
	in.SourceAccount = ""
	if c := condition(TrustPolicyFor("aws", in), "config.amazonaws.com"); c != nil {
		t.Errorf("a condition without the account: %v", c)
	}
	in.SourceAccount, in.ConfusedDeputyProtection = "123456789012", false
	if c := condition(TrustPolicyFor("aws", in), "config.amazonaws.com"); c != nil {
		t.Errorf("protection off, yet a condition: %v", c)
	}
}

// The list of services is data with a source per entry; services that assume roles for compute
// they run (EC2, Lambda) are never on it.
func TestSourceContextServicesList(t *testing.T) {
	if !slices.IsSortedFunc(SourceContextServices, func(a, b SourceContextService) int { return strings.Compare(a.Principal, b.Principal) }) {
		t.Error("SourceContextServices is not sorted by principal")
	}
	for _, s := range SourceContextServices {
		if !strings.HasSuffix(s.Principal, ".amazonaws.com") || s.ARNService == "" || s.Source == "" {
			t.Errorf("incomplete entry %+v", s)
		}
		if _, excluded := SourceContextExclusions[s.Principal]; excluded {
			t.Errorf("%s is both listed and excluded", s.Principal)
		}
	}
	for _, s := range []string{"ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "cloudtrail.amazonaws.com"} {
		if SendsSourceContext(s) {
			t.Errorf("%s must not get the confused-deputy condition", s)
		}
		if SourceContextExclusions[s] == "" {
			t.Errorf("%s: the exclusion has no reason", s)
		}
	}
	if !SendsSourceContext("config.amazonaws.com") || !ConfusedDeputyDecided([]string{"ec2.amazonaws.com", "states.amazonaws.com"}) || ConfusedDeputyDecided([]string{"ec2.amazonaws.com"}) {
		t.Error("SendsSourceContext / ConfusedDeputyDecided disagree with the list")
	}
}

func TestSourceARNProblem(t *testing.T) {
	services := []string{"ec2.amazonaws.com", "states.amazonaws.com"}
	for _, tc := range []struct{ arn, partition, want string }{
		{"arn:aws:states:us-east-1:123456789012:stateMachine:app-*", "aws", ""},
		{"arn:aws:states:*:123456789012:*", "aws", ""},
		{"arn:aws:states:*:*:stateMachine:*", "aws", ""},
		{"arn:aws-us-gov:states:us-gov-west-1:123456789012:stateMachine:x", "aws-us-gov", ""},
		{"arn:aws:states:us-east-1:123456789012:stateMachine:x", "aws-cn", `partition "aws"`},
		{"arn:aws:states:us-east-1:210987654321:stateMachine:x", "aws", "not to this account"},
		{"arn:aws:config:us-east-1:123456789012:*", "aws", `service "config"`},
		{"states:us-east-1", "aws", "is not an ARN"},
	} {
		if got := SourceARNProblem(tc.arn, tc.partition, "123456789012", services); (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("SourceARNProblem(%s, %s) = %q, want %q", tc.arn, tc.partition, got, tc.want)
		}
	}
	if got := ServicesWithoutSourceARN([]string{"ec2.amazonaws.com", "config.amazonaws.com", "states.amazonaws.com"}, []string{"arn:aws:states:*:123456789012:*"}); !slices.Equal(got, []string{"config.amazonaws.com"}) {
		t.Errorf("ServicesWithoutSourceARN = %v, want config only", got)
	}
	if got := SourceARNProblem("arn:aws:ec2:*:123456789012:*", "aws", "123456789012", []string{"ec2.amazonaws.com"}); !strings.Contains(got, "no trusted service") {
		t.Errorf("EC2 alone: %q", got)
	}
}

func TestTrustedPrincipalProblem(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:iam::111122223333:role/deployer":    "",
		"arn:aws:iam::111122223333:role/ci/deployer": "",
		"arn:aws:iam::111122223333:user/alice":       "",
		"arn:aws:iam::111122223333:root":             "",
		"arn:aws:iam::111122223333:role/*":           "without wildcards",
		"arn:aws:iam::111122223333:group/admins":     "not the ARN",
		"arn:aws:sts::111122223333:assumed-role/x/y": "not the ARN",
		"111122223333": "not the ARN",
		"arn:aws-cn:iam::111122223333:role/deployer": `partition "aws-cn"`,
	} {
		if got := TrustedPrincipalProblem(arn, "aws"); (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("TrustedPrincipalProblem(%s) = %q, want %q", arn, got, want)
		}
	}
}

func TestTrustPoliciesMeanTheSame(t *testing.T) {
	console := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"}}}]}`
	built, _ := TrustPolicyFor("aws", TrustInputs{Services: []string{"config.amazonaws.com"}, ConfusedDeputyProtection: true, SourceAccount: "123456789012"}).JSON()
	if !TrustPoliciesMeanTheSame(console, built, "aws") {
		t.Error("the console's spelling of the Config role differs from the provider's")
	}
	other, _ := TrustPolicyFor("aws", TrustInputs{Services: []string{"config.amazonaws.com"}, ConfusedDeputyProtection: true, SourceAccount: "210987654321"}).JSON()
	if TrustPoliciesMeanTheSame(other, built, "aws") {
		t.Error("another source account means the same")
	}
}

func TestTrustArgumentsThatCannotMatch(t *testing.T) {
	principals := []string{
		"arn:aws:iam::111122223333:user/auditor", "arn:aws:iam::111122223333:role/ci/deployer", "arn:aws:iam::444455556666:root",
		"arn:aws-us-gov:iam::111122223333:role/gov", "arn:aws:iam::111122223333:role/ci/deployer",
	}
	if got, want := PrincipalsThatNeverCarryMFA(principals), []string{"arn:aws-us-gov:iam::111122223333:role/gov", "arn:aws:iam::111122223333:role/ci/deployer"}; !slices.Equal(got, want) {
		t.Errorf("PrincipalsThatNeverCarryMFA = %v, want %v", got, want)
	}
	if got := PrincipalsThatNeverCarryMFA([]string{"arn:aws:iam::111122223333:user/role/x"}); len(got) != 0 {
		t.Errorf("a user whose path starts with role/ is not a role: %v", got)
	}
	if got, want := TrustedAccountsOf([]string{"210987654321", "444455556666"}, principals), []string{"210987654321", "444455556666"}; !slices.Equal(got, want) {
		t.Errorf("TrustedAccountsOf = %v, want %v", got, want)
	}
	if got := TrustedAccountsOf(nil, []string{"arn:aws:iam::111122223333:user/auditor"}); len(got) != 0 {
		t.Errorf("a user is not a whole account: %v", got)
	}
	if got, want := ServicesLosingSourceAccount([]string{"states.amazonaws.com", "ec2.amazonaws.com", "config.amazonaws.com", "lambda.amazonaws.com"}),
		[]string{"config.amazonaws.com", "states.amazonaws.com"}; !slices.Equal(got, want) {
		t.Errorf("ServicesLosingSourceAccount = %v, want %v", got, want)
	}
}
