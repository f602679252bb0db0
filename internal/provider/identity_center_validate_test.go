package provider

import (
	"fmt"
	"strings"
	"testing"
)

// Bad input to the Identity Center resources fails at validate time, before any API call, naming
// the attribute and the fix.
func TestIdentityCenterBaselineValidation(t *testing.T) {
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = "arn:aws:iam::aws:policy/Policy" + strings.Repeat("x", i+1)
	}
	manyBuckets := make([]string, 0, 600)
	for i := 0; i < 600; i++ {
		manyBuckets = append(manyBuckets, fmt.Sprintf("arn:aws:s3:::acme-application-data-bucket-%03d", i))
	}
	inlineDoc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"aws-portal:ViewBilling","Resource":"*"}]}`
	actions := make([]string, 0, 1500)
	for i := range 1500 {
		actions = append(actions, fmt.Sprintf(`"s3:GetObjectTagging%04d"`, i))
	}
	hugeDoc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[` + strings.Join(actions, ",") + `],"Resource":"arn:aws:s3:::b/*"}]}`
	testConfigCases(t, "iambaseline_identity_center_baseline", map[string]any{"name_prefix": "acme-"}, []configCase{
		{"defaults", nil, "", ""},
		{"everything", map[string]any{"session_durations": map[string]any{"Developers": "PT1H30M", "SysAdmins": "PT12H"},
			"relay_state": "https://console.aws.amazon.com/ec2/", "account_ids": []string{"111111111111", "222222222222"},
			"extra_policy_arns": map[string]any{"ReadOnly": []string{"arn:aws:iam::aws:policy/AWSSupportAccess"}}}, "", ""},
		{"name too long", map[string]any{"name_prefix": strings.Repeat("a", 20)}, "name_prefix", "permission set names are at most 32"},
		{"name bad characters", map[string]any{"name_prefix": "acme "}, "name_prefix", "letters, digits"},
		{"session too long", map[string]any{"session_durations": map[string]any{"Developers": "PT13H"}}, "session_durations", "outside PT1H..PT12H"},
		{"session too short", map[string]any{"session_durations": map[string]any{"ReadOnly": "PT30M"}}, "session_durations", "outside PT1H..PT12H"},
		{"session not ISO", map[string]any{"session_durations": map[string]any{"ReadOnly": "8h"}}, "session_durations", "ISO 8601"},
		{"session unknown key", map[string]any{"session_durations": map[string]any{"Admins": "PT1H"}}, "session_durations", "neither a role key"},
		{"relay state too long", map[string]any{"relay_state": "https://console.aws.amazon.com/" + strings.Repeat("a", 240)}, "relay_state", "1 to 240"},
		{"relay state bad characters", map[string]any{"relay_state": "https://console.aws.amazon.com/<x>"}, "relay_state", "characters AWS refuses"},
		{"bad account", map[string]any{"account_ids": []string{"12345"}}, "account_ids", "12-digit"},
		{"duplicate account", map[string]any{"account_ids": []string{"111111111111", "111111111111"}}, "account_ids", "each account once"},
		{"no account", map[string]any{"account_ids": []string{}}, "account_ids", "at least one"},
		{"too many managed policies", map[string]any{"extra_policy_arns": map[string]any{"ReadOnly": eleven}}, "extra_policy_arns", "quota is 10"},
		{"bad managed policy", map[string]any{"extra_policy_arns": map[string]any{"ReadOnly": []string{"AdministratorAccess"}}}, "extra_policy_arns", "not an AWS managed policy ARN"},
		{"customer managed policy", map[string]any{"extra_policy_arns": map[string]any{"ReadOnly": []string{"arn:aws:iam::111111111111:policy/app-read"}}}, "extra_policy_arns", "inline policy instead"},
		{"additional group", map[string]any{"additional_groups": map[string]any{"Billing": map[string]any{"policy_arns": []string{"arn:aws:iam::aws:policy/job-function/Billing"}, "inline_policy": inlineDoc}},
			"session_durations": map[string]any{"Billing": "PT2H"}, "tags": map[string]any{"team": "platform"}}, "", ""},
		{"additional group clashes", map[string]any{"additional_groups": map[string]any{"readonly": map[string]any{"inline_policy": inlineDoc}}}, "additional_groups", "role key ReadOnly"},
		{"additional group name too long", map[string]any{"additional_groups": map[string]any{strings.Repeat("b", 28): map[string]any{"inline_policy": inlineDoc}}}, "additional_groups", "at most 32"},
		{"additional group grants nothing", map[string]any{"additional_groups": map[string]any{"Billing": map[string]any{}}}, "additional_groups", "neither policy_arns nor inline_policy"},
		{"additional group customer policy", map[string]any{"additional_groups": map[string]any{"Billing": map[string]any{"policy_arns": []string{"arn:aws:iam::111111111111:policy/billing"}}}}, "additional_groups", "not an AWS managed policy ARN"},
		{"additional group too many policies", map[string]any{"additional_groups": map[string]any{"Billing": map[string]any{"policy_arns": eleven}}}, "additional_groups", "quota is 10"},
		{"additional group bad JSON", map[string]any{"additional_groups": map[string]any{"Billing": map[string]any{"inline_policy": "{not json"}}}, "additional_groups", "additional_groups[\"Billing\"].inline_policy"},
		{"additional group star on star", map[string]any{"additional_groups": map[string]any{"Billing": map[string]any{"inline_policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}}}, "additional_groups", "inline_policy"},
		{"additional group too large", map[string]any{"additional_groups": map[string]any{"Billing": map[string]any{"inline_policy": hugeDoc}}}, "additional_groups", "at most 32768"},
		{"bad tag", map[string]any{"tags": map[string]any{"aws:team": "x"}}, "tags", ""},
		{"extra for absent group", map[string]any{"groups": []string{"ReadOnly"}, "extra_policy_arns": map[string]any{"Developers": []string{"arn:aws:iam::aws:policy/AWSSupportAccess"}}}, "extra_policy_arns", "not one of the baseline's groups"},
		{"custom app scope", map[string]any{"app_scope": map[string]any{"name_prefix": "acme-svc-", "role_path": "/svc/"}}, "", ""},
		{"bad app scope", map[string]any{"app_scope": map[string]any{"role_path": "/"}}, "app_scope", "must look like \"/app/\""},
		{"bad policy style", map[string]any{"policy_style": "admin"}, "policy_style", "least_privilege"},
		{"unknown group", map[string]any{"groups": []string{"Admins"}}, "groups", ""},
		{"policy inputs too large", map[string]any{"developer_s3_bucket_arns": manyBuckets}, "developer_s3_bucket_arns", "managed-policy quota of 6144"},
	})
}

func TestIdentityCenterUserValidation(t *testing.T) {
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = "group-" + strings.Repeat("x", i+1)
	}
	testConfigCases(t, "iambaseline_identity_center_user", map[string]any{"user_name": "ada", "family_name": "Lovelace", "email": "ada@example.com"}, []configCase{
		{"minimal", nil, "", ""},
		{"everything", map[string]any{"given_name": "Ada", "display_name": "Countess", "job_title": "Engineer", "groups": []string{"acme-Developers"}, "status": "suspended"}, "", ""},
		{"user name with space", map[string]any{"user_name": "ada lovelace"}, "user_name", "white space"},
		{"user name too long", map[string]any{"user_name": strings.Repeat("a", 129)}, "user_name", "1 to 128"},
		{"user name reserved", map[string]any{"user_name": "Administrator"}, "user_name", "reserved"},
		{"empty family name", map[string]any{"family_name": ""}, "family_name", "1 to 1024"},
		{"blank given name", map[string]any{"given_name": "  "}, "given_name", "white space"},
		{"job title too long", map[string]any{"job_title": strings.Repeat("a", 1025)}, "job_title", "1 to 1024"},
		{"bad email", map[string]any{"email": "Ada <ada@example.com>"}, "email", "address alone"},
		{"too many groups", map[string]any{"groups": eleven}, "groups", "10"},
		{"empty group", map[string]any{"groups": []string{""}}, "groups", "1 to 1024"},
		{"bad status", map[string]any{"status": "disabled"}, "status", "suspended"},
	})
}
