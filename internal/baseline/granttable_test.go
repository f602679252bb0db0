package baseline

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// grantTableVariants are the option sets that change the rendered group documents.
func grantTableVariants() map[string]Options {
	return map[string]Options{"default": {}, "restricted": goldenRestrictedOptions, "delegated": goldenDelegatedOptions}
}

// knownOpenGrants are the grants the table shows breaking their group's decision today
// (testdata/granttable/known-open.tsv, hand-maintained: -update does not rewrite it). TestGrantTable fails
// on any breaking grant not listed there, and on any entry that no longer breaks, so the list can only
// shrink by closing paths, and a wildcard cannot silently grow when the catalogue is regenerated.
var knownOpenGrants = func() map[string]map[string]bool {
	b, err := os.ReadFile(filepath.Join("testdata", "granttable", "known-open.tsv"))
	if err != nil {
		panic(err)
	}
	out := map[string]map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, "\t")
		if strings.HasPrefix(line, "#") || len(f) < 2 {
			continue
		}
		if out[f[0]] == nil {
			out[f[0]] = map[string]bool{}
		}
		out[f[0]][f[1]] = true
	}
	return out
}()

func knownOpen(group, action string) (string, bool) {
	return action, knownOpenGrants[group][action]
}

func checkGrantTable(t *testing.T, group string, doc PolicyDocument) []string {
	t.Helper()
	var broken []string
	for _, g := range ExpandGrants(doc, GroupClassDecisions[group]) {
		if g.Safe() {
			continue
		}
		if _, ok := knownOpen(group, g.Action); ok && g.Class != ClassUnclassified {
			continue
		}
		broken = append(broken, g.Action+": "+g.Verdict)
	}
	return broken
}

func TestGrantTable(t *testing.T) {
	used := map[string]bool{}
	for _, group := range RoleKeys() {
		for variant, opts := range grantTableVariants() {
			// The guardrail policy's denies close what a group's grants would leave open.
			doc, err := GuardedGroupPolicy(group, opts)
			if err != nil {
				t.Fatal(err)
			}
			grants := ExpandGrants(doc, GroupClassDecisions[group])
			if len(grants) == 0 {
				t.Fatalf("%s.%s: no grants expanded", group, variant)
			}
			for _, g := range grants {
				if !g.Safe() {
					if p, ok := knownOpen(group, g.Action); ok {
						used[group+" "+p] = true
					}
				}
			}
			if broken := checkGrantTable(t, group, doc); len(broken) > 0 {
				t.Errorf("%s.%s: %d grants break the group's decisions:\n  %s", group, variant, len(broken), strings.Join(broken, "\n  "))
			}
			path := filepath.Join("testdata", "granttable", strings.ToLower(group)+"."+variant+".tsv")
			got := GrantTableText(group+" ("+variant+")", grants)
			if updatingGolden() {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if string(want) != got {
				t.Errorf("%s differs from the grant table the code renders: review, then go test ./internal/baseline/ -run GrantTable -update", path)
			}
		}
	}
	for variant, firstLogin := range map[string]bool{"strict": false, "first-login": true} {
		doc := MFAPolicy(firstLogin)
		grants := ExpandGrants(doc, GroupClassDecisions[MFAGrantTableKey])
		if broken := checkGrantTable(t, MFAGrantTableKey, doc); len(broken) > 0 {
			t.Errorf("mfa.%s: %d grants break the MFA policy's decisions:\n  %s", variant, len(broken), strings.Join(broken, "\n  "))
		}
		path := filepath.Join("testdata", "granttable", "mfa."+variant+".tsv")
		got := GrantTableText(MFAGrantTableKey+" ("+variant+")", grants)
		if updatingGolden() {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if want, err := os.ReadFile(path); err != nil || string(want) != got {
			t.Errorf("%s differs from the grant table the code renders (%v): review, then -update", path, err)
		}
	}
	var stale []string
	for group, ps := range knownOpenGrants {
		for p := range ps {
			if !used[group+" "+p] {
				stale = append(stale, group+" "+p)
			}
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("knownOpenGrants entries no longer open (remove them): %v", stale)
	}
}

// The table's test must fail on a deliberately added unclassified or forbidden action.
func TestGrantTable_catchesUnclassifiedAndForbidden(t *testing.T) {
	doc, err := GroupPolicy(RoleReadOnly, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if broken := checkGrantTable(t, RoleReadOnly, doc); len(broken) > 0 {
		t.Fatalf("ReadOnly breaks its decisions before any change: %v", broken)
	}
	forbidden := doc
	forbidden.Statements = append(append([]Statement{}, doc.Statements...), allow("Added", []string{"secretsmanager:GetSecretValue"}))
	broken := checkGrantTable(t, RoleReadOnly, forbidden)
	if len(broken) != 1 || !strings.Contains(broken[0], "secretsmanager:GetSecretValue: forbidden class "+string(ClassSecretRead)) {
		t.Fatalf("an added secretsmanager:GetSecretValue on ReadOnly gave %v, want one forbidden-class finding", broken)
	}
	// An action no rule classifies: a write of a service nobody reviewed (a wildcard over a new service).
	unclassified := doc
	unclassified.Statements = append(append([]Statement{}, doc.Statements...), allow("Added", []string{"gamelift:CreateFleet"}))
	broken = checkGrantTable(t, RoleReadOnly, unclassified)
	if len(broken) != 1 || !strings.Contains(broken[0], "gamelift:CreateFleet: no class") {
		t.Fatalf("an added gamelift:CreateFleet gave %v, want one no-class finding", broken)
	}
	// A Deny of every resource closes a forbidden grant.
	denied := forbidden
	denied.Statements = append(denied.Statements, deny("DenySecrets", []string{"secretsmanager:GetSecretValue"}))
	if broken := checkGrantTable(t, RoleReadOnly, denied); len(broken) != 0 {
		t.Fatalf("a Deny did not close the grant: %v", broken)
	}
}

func TestClassifyAction_examples(t *testing.T) {
	cases := map[string]GrantClass{
		"iam:EnableMFADevice":                  ClassMFA,
		"iam:PassRole":                         ClassRunsCode,
		"autoscaling:CreateOrUpdateTags":       ClassTagging,
		"lambda:ListFunctions":                 ClassSecretRead,
		"lambda:AddPermission":                 ClassResourceAccess,
		"lambda:CreateFunctionUrlConfig":       ClassResourceAccess,
		"logs:PutAccountPolicy":                ClassAudit,
		"rds:DeleteDBInstance":                 ClassErasure,
		"ec2:CreateNetworkInterfacePermission": ClassResourceAccess,
		"ec2:DeleteFlowLogs":                   ClassAudit,
		"cloudwatch:DeleteAlarms":              ClassAudit,
		"sts:AssumeRole":                       ClassIdentity,
		"ec2:DescribeInstances":                ClassList,
		"ec2:ModifySnapshotAttribute":          ClassResourceAccess,
		"ecs:DescribeTaskDefinition":           ClassSecretRead,
	}
	for action, want := range cases {
		a, ok := LookupAction(action)
		if !ok {
			t.Errorf("%s not in the catalogue", action)
			continue
		}
		if got, _ := ClassifyAction(a); got != want {
			t.Errorf("%s: class %s, want %s", action, got, want)
		}
	}
}

// The docs' per-group may / may-not tables are generated from the grant table.
func TestGrantTable_docs(t *testing.T) {
	md, err := GrantTableMarkdown(knownOpenGrants)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "templates", "guides", "grant-table.md.tmpl")
	got := "---\npage_title: \"Grant table: what each group may and may not do\"\nsubcategory: \"\"\ndescription: |-\n  Generated from the grant table.\n---\n\n" +
		"# Grant table: what each group may and may not do\n\n" + md
	if updatingGolden() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil || string(want) != got {
		t.Fatalf("%s is not what the grant table renders (%v): go test ./internal/baseline/ -run GrantTable_docs -update", path, err)
	}
	if !strings.Contains(got, "| "+string(ClassSecretRead)+" | may not |") {
		t.Fatal("the ReadOnly secret-read decision is missing from the docs table")
	}
}
