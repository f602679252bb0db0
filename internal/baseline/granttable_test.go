package baseline

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// grantTableVariants are the option sets that change the rendered group documents.
func grantTableVariants() map[string]Options {
	return map[string]Options{"default": {}, "restricted": goldenRestrictedOptions, "delegated": goldenDelegatedOptions}
}

// knownOpenGrants are the grants the table shows breaking their group's decision and kept as ACCEPTED
// exceptions, each with its class and the reason a reviewer accepted it
// (testdata/granttable/known-open.tsv, hand-maintained: -update does not rewrite it). TestGrantTable fails
// on any breaking grant not listed there, on any entry that no longer breaks or whose class changed,
// and on an entry without a reason, so the list can only shrink by closing paths, and a wildcard cannot
// silently grow when the catalogue is regenerated.
var knownOpenGrants, knownOpenClasses = func() (map[string]map[string]string, map[string]GrantClass) {
	b, err := os.ReadFile(filepath.Join("testdata", "granttable", "known-open.tsv"))
	if err != nil {
		panic(err)
	}
	out, classes, err := parseKnownOpen(string(b))
	if err != nil {
		panic(err)
	}
	return out, classes
}()

// parseKnownOpen reads known-open.tsv: group => action => why it is accepted, and "group action" =>
// the class it was accepted as.
func parseKnownOpen(text string) (map[string]map[string]string, map[string]GrantClass, error) {
	out, classes := map[string]map[string]string{}, map[string]GrantClass{}
	for i, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 || strings.TrimSpace(f[3]) == "" || !slices.Contains(GrantClasses, GrantClass(f[2])) {
			return nil, nil, fmt.Errorf("known-open.tsv line %d: want group, action, class and the reason it is accepted, tab-separated: %q", i+1, line)
		}
		if out[f[0]] == nil {
			out[f[0]] = map[string]string{}
		}
		out[f[0]][f[1]] = f[3]
		classes[f[0]+" "+f[1]] = GrantClass(f[2])
	}
	return out, classes, nil
}

// An exception without its reason, or with a class that does not exist, is refused.
func TestParseKnownOpen(t *testing.T) {
	good := "# comment\nSysAdmins\tec2:GetConsoleOutput\treads-secret-bearing-data\tdiagnosing boots\n"
	if out, classes, err := parseKnownOpen(good); err != nil || out["SysAdmins"]["ec2:GetConsoleOutput"] != "diagnosing boots" ||
		classes["SysAdmins ec2:GetConsoleOutput"] != ClassSecretRead {
		t.Fatalf("parseKnownOpen(good) = %v, %v, %v", out, classes, err)
	}
	for _, bad := range []string{
		"SysAdmins\tec2:GetConsoleOutput\treads-secret-bearing-data\n",
		"SysAdmins\tec2:GetConsoleOutput\treads-secret-bearing-data\t \n",
		"SysAdmins\tec2:GetConsoleOutput\tsecrets\tdiagnosing boots\n",
	} {
		if _, _, err := parseKnownOpen(bad); err == nil {
			t.Errorf("parseKnownOpen(%q) accepted a line without a reason or class", bad)
		}
	}
}

func knownOpen(group, action string) (string, bool) {
	_, ok := knownOpenGrants[group][action]
	return action, ok
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
						if want := knownOpenClasses[group+" "+p]; want != g.Class {
							t.Errorf("known-open.tsv: %s %s is accepted as %s but its class is %s: review the exception", group, p, want, g.Class)
						}
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
	checkClasses(t, cases)
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

// checkClasses fails for every action of cases that the catalogue lacks or that ClassifyAction puts
// in another class.
func checkClasses(t *testing.T, cases map[string]GrantClass) {
	t.Helper()
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
