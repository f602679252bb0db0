package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestSameModel(t *testing.T) {
	base := onboardedUserModel{
		UserName: types.StringValue("ada"), MFAEnabled: types.BoolValue(false),
		Groups: stringSet([]string{"Developers", "ReadOnly"}), MFADevices: stringList(nil), Tags: types.MapNull(types.StringType),
	}
	same := base
	same.Groups = stringSet([]string{"ReadOnly", "Developers"}) // a set: order does not matter
	if !sameModel(&base, &same) {
		t.Error("equal models reported different")
	}
	for name, change := range map[string]func(m *onboardedUserModel){
		"string":        func(m *onboardedUserModel) { m.UserName = types.StringValue("bob") },
		"null vs value": func(m *onboardedUserModel) { m.PasswordLastUsed = types.StringValue("2026-11-27T10:00:00Z") },
		"bool":          func(m *onboardedUserModel) { m.MFAEnabled = types.BoolValue(true) },
		"set element":   func(m *onboardedUserModel) { m.Groups = stringSet([]string{"Developers"}) },
		"list element":  func(m *onboardedUserModel) { m.MFADevices = stringList([]string{"arn:aws:iam::1:mfa/ada"}) },
		"null vs empty": func(m *onboardedUserModel) { m.Tags = types.MapValueMust(types.StringType, nil) },
		"unknown":       func(m *onboardedUserModel) { m.ARN = types.StringUnknown() },
	} {
		changed := base
		change(&changed)
		if sameModel(&base, &changed) {
			t.Errorf("%s: a changed model reported the same", name)
		}
	}
}
