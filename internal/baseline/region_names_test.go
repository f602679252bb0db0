package baseline

import (
	"strings"
	"testing"
)

func TestCheckRegion(t *testing.T) {
	cases := []struct {
		name, problem, unknown string
	}{
		{"us-east-1", "", ""},
		{"cn-northwest-1", "", ""},
		{"us-gov-west-1", "", ""},
		{"eusc-de-east-1", "", ""},
		{"us-east1", `is not an AWS region name`, ""},
		{"US-EAST-1", `Did you mean "us-east-1"?`, ""},
		{"us-east-1a", `no availability-zone letter`, ""},
		{"virginia", `is not an AWS region name`, ""},
		{"", `is not an AWS region name`, ""},
		{"us-est-1", "", `Did you mean "us-east-1"?`},
		{"eu-west-9", "", `not an AWS region this provider knows`},
	}
	for _, tc := range cases {
		problem, unknown := CheckRegion(tc.name)
		if (tc.problem == "") != (problem == "") || !strings.Contains(problem, tc.problem) {
			t.Errorf("CheckRegion(%q) problem = %q, want it to contain %q", tc.name, problem, tc.problem)
		}
		if (tc.unknown == "") != (unknown == "") || !strings.Contains(unknown, tc.unknown) {
			t.Errorf("CheckRegion(%q) unknown = %q, want it to contain %q", tc.name, unknown, tc.unknown)
		}
	}
}

func TestJoinWords(t *testing.T) {
	for in, want := range map[string]string{"": "none", "a": "a", "a|b": "a and b", "a|b|c": "a, b and c"} {
		var items []string
		if in != "" {
			items = strings.Split(in, "|")
		}
		if got := JoinWords(items); got != want {
			t.Errorf("JoinWords(%q) = %q, want %q", items, got, want)
		}
	}
}

func TestClosest(t *testing.T) {
	groups := []string{"acme-Developers", "acme-SysAdmins", "acme-ReadOnly"}
	if got, near := Closest("acme-Developer", groups); got != "acme-Developers" || !near {
		t.Errorf("Closest = %q, %v", got, near)
	}
	if _, near := Closest("payroll", groups); near {
		t.Error("payroll should not be near any group")
	}
}
