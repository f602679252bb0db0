package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestServiceRoleValidation(t *testing.T) {
	ec2 := []string{"ec2.amazonaws.com"}
	good := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}`
	var big []string
	for i := 0; i < 400; i++ {
		big = append(big, fmt.Sprintf("arn:aws:s3:::some-long-bucket-name-%04d/*", i))
	}
	bigDoc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Action": "s3:GetObject", "Resource": big}}})
	var policyARNs []string
	for i := 0; i < 21; i++ {
		policyARNs = append(policyARNs, fmt.Sprintf("arn:aws:iam::123456789012:policy/p%d", i))
	}
	fiftyOne := map[string]string{}
	for i := 0; i < 51; i++ {
		fiftyOne[fmt.Sprintf("Tag%02d", i)] = "x"
	}
	with := func(extra map[string]any) map[string]any {
		m := map[string]any{"name": "app"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, tc := range []struct {
		name      string
		attrs     map[string]any
		attribute string
		want      string
	}{
		{"ec2 role", with(map[string]any{"trusted_services": ec2, "inline_policies": map[string]string{"read": good}}), "", ""},
		{"cross-account role", with(map[string]any{"trusted_account_ids": []string{"123456789012"}, "require_mfa": true, "external_id": "abc:def/1"}), "", ""},
		{"no trust source", with(nil), "trusted_services", "at least one trust source"},
		{"empty trust sources", with(map[string]any{"trusted_services": []string{}}), "trusted_services", "at least 1"},
		{"mfa without accounts", with(map[string]any{"trusted_services": ec2, "require_mfa": true}), "require_mfa", "needs trusted_account_ids"},
		{"external id without accounts", with(map[string]any{"trusted_services": ec2, "external_id": "abcdef"}), "external_id", "needs trusted_account_ids"},
		{"external id too short", with(map[string]any{"trusted_account_ids": []string{"123456789012"}, "external_id": "a"}), "external_id", "between 2 and 1224"},
		{"external id bad character", with(map[string]any{"trusted_account_ids": []string{"123456789012"}, "external_id": "has space"}), "external_id", "may contain only"},
		{"not a service principal", with(map[string]any{"trusted_services": []string{"ec2"}}), "trusted_services", "service principal"},
		{"bad account id", with(map[string]any{"trusted_account_ids": []string{"12345"}}), "trusted_account_ids", "12-digit"},
		{"name too long", map[string]any{"name": strings.Repeat("a", 65), "trusted_services": ec2}, "name", "between 1 and 64"},
		{"name bad character", map[string]any{"name": "my role", "trusted_services": ec2}, "name", "may contain only"},
		{"session too short", with(map[string]any{"trusted_services": ec2, "max_session_duration": 600}), "max_session_duration", "between 3600 and 43200"},
		{"session too long", with(map[string]any{"trusted_services": ec2, "max_session_duration": 43201}), "max_session_duration", "between 3600 and 43200"},
		{"bad managed policy arn", with(map[string]any{"trusted_services": ec2, "managed_policy_arns": []string{"ReadOnlyAccess"}}), "managed_policy_arns", "is not an ARN"},
		{"too many managed policies", with(map[string]any{"trusted_services": ec2, "managed_policy_arns": policyARNs}), "managed_policy_arns", "has 21 elements, at most 20 allowed: IAM attaches at most 20 managed policies to a role"},
		// 11 to 20 need a raised quota, which a plan cannot see: IAM's LimitExceeded is explained at apply.
		{"twenty managed policies pass the plan", with(map[string]any{"trusted_services": ec2, "managed_policy_arns": policyARNs[:20]}), "", ""},
		{"too many tags", with(map[string]any{"trusted_services": ec2, "tags": fiftyOne}), "tags", "has 51 elements, at most 50 allowed: IAM allows at most 50 tags per entity"},
		{"bad boundary", with(map[string]any{"trusted_services": ec2, "permissions_boundary": "arn:aws:s3:::bucket"}), "permissions_boundary", `expected "iam"`},
		{"bad path", with(map[string]any{"trusted_services": ec2, "path": "app"}), "path", "begin and end"},
		{"inline policy not json", with(map[string]any{"trusted_services": ec2, "inline_policies": map[string]string{"broken": "{not json"}}), `ElementKeyString("broken")`, "json"},
		{"inline policy too large", with(map[string]any{"trusted_services": ec2, "inline_policies": map[string]string{"huge": string(bigDoc)}}), `ElementKeyString("huge")`, "size"},
		{"inline policy admin star", with(map[string]any{"trusted_services": ec2, "inline_policies": map[string]string{"admin": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}}), `ElementKeyString("admin")`, "admin-star"},
		{"inline policy bad name", with(map[string]any{"trusted_services": ec2, "inline_policies": map[string]string{"bad name": good}}), "inline_policies", "may contain only"},
		{"bad tag key", with(map[string]any{"trusted_services": ec2, "tags": map[string]string{"aws:owner": "x"}}), "tags", "aws:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			expectDiagnostic(t, validateConfig(t, resourceSchema, "iambaseline_service_role", tc.attrs), tc.want, tc.attribute)
		})
	}
}
