package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

func TestProviderValidateConfig(t *testing.T) {
	cases := []struct {
		name  string
		attrs map[string]any
		want  string // "" = no error
	}{
		{"empty", map[string]any{}, ""},
		{"full", map[string]any{"region": "eu-west-1", "retry_mode": "adaptive", "allowed_account_ids": []string{"123456789012"},
			"endpoints": map[string]any{"iam": "http://127.0.0.1:4566"}}, ""},
		{"bad retry mode", map[string]any{"retry_mode": "fast"}, "retry_mode"},
		{"both account lists", map[string]any{"allowed_account_ids": []string{"123456789012"}, "forbidden_account_ids": []string{"210987654321"}}, "forbidden_account_ids"},
		{"bad account id", map[string]any{"allowed_account_ids": []string{"12345"}}, "12-digit"},
		{"bad endpoint", map[string]any{"endpoints": map[string]any{"iam": "localhost:4566"}}, "not an absolute http(s) URL"},
		{"bad role arn", map[string]any{"assume_role": map[string]any{"role_arn": "admin"}}, "is not an ARN"},
		{"default tags", map[string]any{"default_tags": map[string]any{"tags": map[string]string{"ManagedBy": "terraform"}}}, ""},
		{"reserved default tag", map[string]any{"default_tags": map[string]any{"tags": map[string]string{"aws:owner": "x"}}}, "may not begin with aws:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expectDiagnostic(t, validateConfig(t, providerSchema, "", tc.attrs), tc.want)
		})
	}
}

func TestProviderConfigureChecksAccount(t *testing.T) {
	sts := iamfake.New(map[string]string{"GetCallerIdentity": iamfake.CallerIdentity("111122223333")}).Start(t)
	endpoints := map[string]any{"iam": sts, "sts": sts}

	cases := []struct {
		name  string
		attrs map[string]any
		want  string
	}{
		{"allowed", map[string]any{"endpoints": endpoints, "allowed_account_ids": []string{"111122223333"}}, ""},
		{"not allowed", map[string]any{"endpoints": endpoints, "allowed_account_ids": []string{"999999999999"}}, "not in allowed_account_ids"},
		{"forbidden", map[string]any{"endpoints": endpoints, "forbidden_account_ids": []string{"111122223333"}}, "forbidden_account_ids"},
		{"skip validation with lists", map[string]any{"endpoints": endpoints, "skip_credentials_validation": true, "allowed_account_ids": []string{"111122223333"}}, "skip_credentials_validation"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			server := newServer(t)
			resp, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{Config: configValue(t, server, providerSchema, "", tc.attrs)})
			if err != nil {
				t.Fatal(err)
			}
			expectDiagnostic(t, resp.Diagnostics, tc.want)
		})
	}
}
