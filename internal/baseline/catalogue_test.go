package baseline

import (
	"slices"
	"testing"
)

func TestCatalogue_entriesAndProvenance(t *testing.T) {
	info := CatalogueInfo()
	if info["updated"] == "" || info["version"] == "" || info["source"] == "" {
		t.Fatalf("catalogue provenance incomplete: %v", info)
	}
	a, ok := LookupAction("LAMBDA:addpermission")
	if !ok {
		t.Fatal("lambda:AddPermission missing from the catalogue")
	}
	if a.Action != "lambda:AddPermission" || !a.HasLevel(AccessPermissions) || !a.HasConditionKey("lambda:FunctionUrlAuthType") {
		t.Fatalf("lambda:AddPermission = %+v", a)
	}
	if !slices.Contains(a.ResourceTypes, "function*") {
		t.Fatalf("lambda:AddPermission resource types = %v, want function (required)", a.ResourceTypes)
	}
	if _, ok := LookupAction("lambda:NoSuchAction"); ok {
		t.Fatal("an unknown action was found")
	}
	if p, _ := LookupAction("iam:PassRole"); !p.HasConditionKey("iam:PassedToService") {
		t.Fatalf("iam:PassRole lacks iam:PassedToService: %+v", p)
	}
}

func TestExpandActionPattern(t *testing.T) {
	got := ExpandActionPattern("lambda:List*")
	if !slices.Contains(got, "lambda:ListFunctions") || slices.Contains(got, "lambda:GetFunction") {
		t.Fatalf("lambda:List* = %v", got)
	}
	if got := ExpandActionPattern("sts:GetCallerIdentit?"); !slices.Equal(got, []string{"sts:GetCallerIdentity"}) {
		t.Fatalf("sts:GetCallerIdentit? = %v", got)
	}
	if n := len(ExpandActionPattern("*")); n < 15000 {
		t.Fatalf("* expands to only %d actions", n)
	}
	if got := ExpandActionPattern("s3:*Object"); !slices.Contains(got, "s3:GetObject") || !slices.Contains(got, "s3:DeleteObject") {
		t.Fatalf("s3:*Object = %v", got)
	}
}
