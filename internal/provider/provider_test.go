package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/provider"
)

// providerConfig builds the provider's configuration value at protocol level: every attribute null
// unless set in attrs (Go strings, bools, []string sets, map[string]any nested blocks).
func providerConfig(t *testing.T, server tfprotov6.ProviderServer, attrs map[string]any) *tfprotov6.DynamicValue {
	t.Helper()
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	objType := resp.Provider.ValueType().(tftypes.Object)
	val := tftypes.NewValue(objType, objectValues(t, objType, attrs))
	dv, err := tfprotov6.NewDynamicValue(objType, val)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func objectValues(t *testing.T, objType tftypes.Object, attrs map[string]any) map[string]tftypes.Value {
	out := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		v, ok := attrs[name]
		if !ok {
			out[name] = tftypes.NewValue(typ, nil)
			continue
		}
		switch x := v.(type) {
		case string, bool:
			out[name] = tftypes.NewValue(typ, x)
		case int:
			out[name] = tftypes.NewValue(typ, x)
		case []string:
			elems := make([]tftypes.Value, len(x))
			for i, s := range x {
				elems[i] = tftypes.NewValue(tftypes.String, s)
			}
			out[name] = tftypes.NewValue(typ, elems)
		case map[string]string:
			elems := map[string]tftypes.Value{}
			for k, s := range x {
				elems[k] = tftypes.NewValue(tftypes.String, s)
			}
			out[name] = tftypes.NewValue(typ, elems)
		case map[string]any:
			out[name] = tftypes.NewValue(typ, objectValues(t, typ.(tftypes.Object), x))
		default:
			t.Fatalf("unsupported test value %T", v)
		}
	}
	return out
}

func newServer(t *testing.T) tfprotov6.ProviderServer {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	return server
}

func diagText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "[%v] %s: %s\n", d.Severity, d.Summary, d.Detail)
	}
	return b.String()
}

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
			server := newServer(t)
			resp, err := server.ValidateProviderConfig(context.Background(), &tfprotov6.ValidateProviderConfigRequest{Config: providerConfig(t, server, tc.attrs)})
			if err != nil {
				t.Fatal(err)
			}
			text := diagText(resp.Diagnostics)
			hasErr := strings.Contains(text, "[ERROR]")
			if tc.want == "" && hasErr {
				t.Fatalf("unexpected diagnostics:\n%s", text)
			}
			if tc.want != "" && (!hasErr || !strings.Contains(text, tc.want)) {
				t.Fatalf("want an error mentioning %q, got:\n%s", tc.want, text)
			}
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
			resp, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{Config: providerConfig(t, server, tc.attrs)})
			if err != nil {
				t.Fatal(err)
			}
			text := diagText(resp.Diagnostics)
			hasErr := strings.Contains(text, "[ERROR]")
			if tc.want == "" && hasErr {
				t.Fatalf("unexpected diagnostics:\n%s", text)
			}
			if tc.want != "" && (!hasErr || !strings.Contains(text, tc.want)) {
				t.Fatalf("want an error mentioning %q, got:\n%s", tc.want, text)
			}
		})
	}
}
