package baseline

import (
	"slices"
	"strings"
	"testing"
)

// TestGroupBaselineNaming pins the names the import contract relies on.
func TestGroupBaselineNaming(t *testing.T) {
	b := GroupBaseline{Prefix: "acme-", Path: "/teams/", EnforceMFA: true}
	for got, want := range map[string]string{
		b.GroupName(RoleDevelopers):          "acme-Developers",
		b.PolicyName(RoleDevelopers):         "acme-DevelopersPolicy",
		b.MFAPolicyName():                    "acme-EnforceMFA",
		b.CustomerPolicyName(MFADocumentKey): "acme-EnforceMFA",
		b.ID():                               "acme-|/teams/",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	if MaxGroupBaselinePrefixLen != 107 {
		t.Errorf("MaxGroupBaselinePrefixLen = %d, want 128 - len(DatabaseAdminsPolicy8) = 107", MaxGroupBaselinePrefixLen)
	}
	if got := b.CustomerPolicyName(GuardrailsDocumentKey); got != "acme-Guardrails" || got != b.GuardrailPolicyName() {
		t.Errorf("CustomerPolicyName(guardrails) = %q, want acme-Guardrails", got)
	}
	// A group's grants split over several managed policies: the further parts are named and
	// attached like the first.
	b.PolicyParts = map[string]int{RoleSysAdmins: 2}
	b.RoleKeys = []string{RoleSysAdmins}
	if got := b.CustomerPolicyKeys(); !slices.Equal(got, []string{RoleSysAdmins, "SysAdmins#2", MFADocumentKey, GuardrailsDocumentKey}) {
		t.Errorf("CustomerPolicyKeys with two parts = %v", got)
	}
	if got := b.CustomerPolicyName("SysAdmins#2"); got != "acme-SysAdminsPolicy2" {
		t.Errorf("CustomerPolicyName(SysAdmins#2) = %q", got)
	}
	att, _ := b.Attachments(func(key string) string { return "arn:" + b.CustomerPolicyName(key) })
	if want := []string{"arn:acme-EnforceMFA", "arn:acme-Guardrails", "arn:acme-SysAdminsPolicy", "arn:acme-SysAdminsPolicy2"}; !slices.Equal(att[RoleSysAdmins], want) {
		t.Errorf("Attachments with two parts = %v, want %v", att[RoleSysAdmins], want)
	}
}

// TestGuardrailAttachments: the guardrail policy is the baseline's in both styles and goes on every
// role group and on every additional group that does not opt out; the MFA policy keeps its rules.
func TestGuardrailAttachments(t *testing.T) {
	for _, awsManaged := range []bool{false, true} {
		b := GroupBaseline{
			Prefix: "acme-", Path: "/", Partition: "aws", AWSManaged: awsManaged, RoleKeys: RoleKeys(), EnforceMFA: false,
			Additional: map[string]AdditionalGroup{
				"Ops":        {PolicyARNs: []string{"arn:aws:iam::aws:policy/job-function/Billing"}},
				"BreakGlass": {PolicyARNs: []string{"arn:aws:iam::aws:policy/AdministratorAccess"}, OmitGuardrails: true},
			},
		}
		if keys := b.CustomerPolicyKeys(); !slices.Contains(keys, GuardrailsDocumentKey) || slices.Contains(keys, MFADocumentKey) {
			t.Errorf("aws_managed=%v: CustomerPolicyKeys = %v, want guardrails and no mfa", awsManaged, keys)
		}
		att, ok := b.Attachments(func(key string) string { return "arn:" + b.CustomerPolicyName(key) })
		if !ok {
			t.Fatal("Attachments incomplete")
		}
		for _, k := range append(RoleKeys(), "Ops") {
			if !slices.Contains(att[k], "arn:acme-Guardrails") {
				t.Errorf("aws_managed=%v: %s holds %v, without the guardrail policy", awsManaged, k, att[k])
			}
		}
		if slices.Contains(att["BreakGlass"], "arn:acme-Guardrails") {
			t.Errorf("aws_managed=%v: the opted-out group holds the guardrail policy: %v", awsManaged, att["BreakGlass"])
		}
		if want := "Guardrails of the acme-* baseline groups"; !strings.HasPrefix(b.CustomerPolicyDescription(GuardrailsDocumentKey), want) {
			t.Errorf("description = %q", b.CustomerPolicyDescription(GuardrailsDocumentKey))
		}
	}
}

// TestCheckAdoptable covers which existing groups and policies of the baseline's names a create
// adopts (what an interrupted apply of the same configuration leaves) and which it refuses.
func TestCheckAdoptable(t *testing.T) {
	const (
		acct    = "123456789012"
		devDoc  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}`
		mfaDoc  = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"iam:ChangePassword","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`
		extra   = "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess"
		opsARN  = "arn:aws:iam::aws:policy/job-function/Billing"
		foreign = "arn:aws:iam::aws:policy/AdministratorAccess"
		inline  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ce:Get*","Resource":"*"}]}`
	)
	spec := GroupBaseline{
		Prefix: "acme-", Path: "/", RoleKeys: []string{"Developers"}, EnforceMFA: true, Partition: "aws",
		Extra:      map[string][]string{"Developers": {extra}},
		Additional: map[string]AdditionalGroup{"Ops": {PolicyARNs: []string{opsARN}, InlinePolicy: inline, EnforceMFA: true}},
	}
	docs := map[string]string{"Developers": devDoc, "mfa": mfaDoc}
	devPolicy := PolicyARN("aws", acct, "/", "acme-DevelopersPolicy")
	mfaPolicy := PolicyARN("aws", acct, "/", "acme-EnforceMFA")

	type world struct {
		groups   map[string]*ExistingGroup  // by name
		policies map[string]*ExistingPolicy // by name
	}
	group := func(name, path string, attached []string, inline ...string) *ExistingGroup {
		return &ExistingGroup{Name: name, Path: path, ARN: GroupARN("aws", acct, path, name), AttachedPolicyARNs: attached, InlinePolicyNames: inline}
	}
	// leftovers is what an interrupted create leaves: both policies (still carrying the create
	// marker), both groups with their attachments.
	leftovers := func() *world {
		return &world{
			policies: map[string]*ExistingPolicy{
				"acme-DevelopersPolicy": {Name: "acme-DevelopersPolicy", Path: "/", ARN: devPolicy, Document: devDoc, Marked: true},
				// Reordered and indented: the same document by meaning.
				"acme-EnforceMFA": {Name: "acme-EnforceMFA", Path: "/", ARN: mfaPolicy, Document: strings.ReplaceAll(mfaDoc, `"Effect":"Deny",`, "\n  \"Effect\": \"Deny\",\n"), Marked: true},
			},
			groups: map[string]*ExistingGroup{
				"acme-Developers": group("acme-Developers", "/", []string{devPolicy, mfaPolicy, extra}),
				"acme-Ops":        group("acme-Ops", "/", []string{mfaPolicy}, AdditionalInlinePolicy),
			},
		}
	}
	cases := []struct {
		name   string
		change func(*world)
		old    *GroupBaseline
		want   string // "" = adopted
	}{
		{"nothing exists", func(w *world) { w.policies, w.groups = nil, nil }, nil, ""},
		{"leftovers of an interrupted apply", func(*world) {}, nil, ""},
		{"empty group", func(w *world) { w.groups["acme-Developers"].AttachedPolicyARNs = nil }, nil, ""},
		// An apply killed before it saved the state: the baseline was complete and people were added.
		{"group with a member and the baseline's own policies", func(w *world) { w.groups["acme-Developers"].Members = []string{"bob"} }, nil, ""},
		{"group with a member and no policy of the baseline", func(w *world) {
			w.groups["acme-Developers"].Members = []string{"bob"}
			w.groups["acme-Developers"].AttachedPolicyARNs = nil
		}, nil, "IAM group acme-Developers (arn:aws:iam::123456789012:group/acme-Developers): it has members (bob) and none of the policies an interrupted create of this baseline leaves"},
		{"group with a member and only an AWS managed policy of the baseline", func(w *world) {
			w.groups["acme-Developers"] = group("acme-Developers", "/", []string{extra})
			w.groups["acme-Developers"].Members = []string{"bob"}
		}, nil, "it has members (bob) and none of the policies an interrupted create of this baseline leaves"},
		// Another state's finished baseline (or this configuration under another address): identical,
		// but its markers were removed when its create finished.
		{"the very same baseline, finished (markers removed)", func(w *world) {
			w.policies["acme-DevelopersPolicy"].Marked, w.policies["acme-EnforceMFA"].Marked = false, false
		}, nil, "customer managed policy acme-DevelopersPolicy (" + devPolicy + "): it does not carry the iambaseline:create-pending tag"},
		{"group holding only policies without the marker", func(w *world) {
			w.policies["acme-DevelopersPolicy"].Marked = false
			w.groups["acme-Developers"] = group("acme-Developers", "/", []string{devPolicy, extra})
		}, nil, "IAM group acme-Developers (arn:aws:iam::123456789012:group/acme-Developers): it holds policies but none of those an interrupted create of this baseline leaves"},
		{"group with a foreign policy", func(w *world) {
			w.groups["acme-Ops"].AttachedPolicyARNs = append(w.groups["acme-Ops"].AttachedPolicyARNs, foreign)
		}, nil, "IAM group acme-Ops (arn:aws:iam::123456789012:group/acme-Ops): it has managed policies this baseline does not attach (" + foreign + ")"},
		{"another group's extra policy is still the baseline's own", func(w *world) {
			w.groups["acme-Ops"].AttachedPolicyARNs = append(w.groups["acme-Ops"].AttachedPolicyARNs, extra)
		}, nil, ""},
		{"group at another path", func(w *world) { w.groups["acme-Developers"] = group("acme-Developers", "/legacy/", nil) }, nil,
			"its path is /legacy/, not /"},
		{"group with a foreign inline policy", func(w *world) {
			w.groups["acme-Developers"] = group("acme-Developers", "/", nil, "Legacy")
		}, nil, "it has inline policies this baseline does not write (Legacy)"},
		{"policy with another document", func(w *world) { w.policies["acme-DevelopersPolicy"].Document = inline }, nil,
			"customer managed policy acme-DevelopersPolicy (" + devPolicy + "): its document differs"},
		{"policy at another path", func(w *world) {
			w.policies["acme-EnforceMFA"] = &ExistingPolicy{Name: "acme-EnforceMFA", Path: "/x/", ARN: PolicyARN("aws", acct, "/x/", "acme-EnforceMFA"), Document: mfaDoc, Marked: true}
		}, nil, "its path is /x/, not /"},
		{"owned by the prior state: not checked", func(w *world) {
			w.groups["acme-Developers"].Members = []string{"bob"}
			w.policies["acme-DevelopersPolicy"].Document = inline
		}, &spec, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := leftovers()
			tc.change(w)
			findGroup := func(name string) (ExistingGroup, bool) {
				g, ok := w.groups[name]
				if !ok {
					return ExistingGroup{}, false
				}
				return *g, true
			}
			findPolicy := func(name string) (ExistingPolicy, bool) {
				p, ok := w.policies[name]
				if !ok {
					return ExistingPolicy{}, false
				}
				return *p, true
			}
			err := spec.CheckAdoptable(tc.old, docs, findGroup, findPolicy)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("want adoption, got: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("want a refusal mentioning %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("want %q in:\n%v", tc.want, err)
			case tc.want != "" && !strings.Contains(err.Error(), "terraform import iambaseline_startup_group_baseline.<name> 'acme-|/'"):
				t.Fatalf("no import hint in:\n%v", err)
			}
		})
	}
}

func TestParseGroupBaselineImportID(t *testing.T) {
	for id, want := range map[string]string{"acme-|/": "acme-,/", "|/people/": ",/people/"} {
		p, path, err := ParseGroupBaselineImportID(id)
		if err != nil || p+","+path != want {
			t.Errorf("%q: %q %q %v", id, p, path, err)
		}
	}
	for _, id := range []string{"acme-", "acme-|people", "a b|/", ""} {
		if _, _, err := ParseGroupBaselineImportID(id); err == nil {
			t.Errorf("%q accepted", id)
		}
	}
}
