package provider

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// validateResourceConfig runs Terraform's validate RPC for one resource in process: schema
// validators and ValidateConfig, with no provider configuration, no client and no AWS call. attrs
// holds Go values (string, bool, int, []string for sets, map[string]string); absent attributes are null.
func validateResourceConfig(t *testing.T, r resource.Resource, typeName string, attrs map[string]any) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	objType, ok := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("schema of %s is not an object", typeName)
	}
	values := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		v, set := attrs[name]
		if !set {
			values[name] = tftypes.NewValue(typ, nil)
			continue
		}
		values[name] = toTFValue(t, typ, v)
	}
	for name := range attrs {
		if _, ok := objType.AttributeTypes[name]; !ok {
			t.Fatalf("%s has no attribute %q", typeName, name)
		}
	}
	config, err := tfprotov6.NewDynamicValue(objType, tftypes.NewValue(objType, values))
	if err != nil {
		t.Fatal(err)
	}
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: &config})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

func toTFValue(t *testing.T, typ tftypes.Type, v any) tftypes.Value {
	t.Helper()
	switch x := v.(type) {
	case string:
		return tftypes.NewValue(tftypes.String, x)
	case bool:
		return tftypes.NewValue(tftypes.Bool, x)
	case int:
		return tftypes.NewValue(tftypes.Number, big.NewFloat(float64(x)))
	case []string:
		elems := make([]tftypes.Value, 0, len(x))
		for _, s := range x {
			elems = append(elems, tftypes.NewValue(tftypes.String, s))
		}
		return tftypes.NewValue(typ, elems)
	case map[string]string:
		elems := make(map[string]tftypes.Value, len(x))
		for k, s := range x {
			elems[k] = tftypes.NewValue(tftypes.String, s)
		}
		return tftypes.NewValue(typ, elems)
	}
	t.Fatalf("unsupported test value %T", v)
	return tftypes.Value{}
}

// errorDiagnostics renders the error diagnostics as "attribute: summary: detail" lines.
func errorDiagnostics(diags []*tfprotov6.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		if d.Severity != tfprotov6.DiagnosticSeverityError {
			continue
		}
		where := ""
		if d.Attribute != nil {
			where = d.Attribute.String()
		}
		out = append(out, where+": "+d.Summary+": "+d.Detail)
	}
	return out
}

// expectValidationError fails unless exactly the wanted attribute carries an error whose text
// contains want ("" wants no error at all).
func expectValidationError(t *testing.T, diags []*tfprotov6.Diagnostic, attribute, want string) {
	t.Helper()
	errs := errorDiagnostics(diags)
	if want == "" {
		if len(errs) > 0 {
			t.Fatalf("want no error, got %q", errs)
		}
		return
	}
	for _, e := range errs {
		if strings.Contains(e, attribute) && strings.Contains(e, want) {
			return
		}
	}
	t.Fatalf("want an error on %s containing %q, got %q", attribute, want, errs)
}
