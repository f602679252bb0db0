package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The one protocol-level test harness of this package: it builds Terraform protocol values from Go
// values and calls the provider server in process, the way Terraform does, without a Terraform
// binary, a client or (unless configured) any AWS call.

const onboardedUserType = "iambaseline_onboarded_user"

// unknown stands for a value not known until apply, in the Go values tfValue converts.
var unknown = struct{ unknown bool }{true}

// tfValue converts a Go test value into a tftypes value of typ: nil is null, unknown is unknown;
// string, bool, int and int64 are primitives; []string is a list or set; map[string]string and
// map[string]any are a map or an object (absent object attributes are null, unknown names fail).
func tfValue(t *testing.T, typ tftypes.Type, v any) tftypes.Value {
	t.Helper()
	if v == nil {
		return tftypes.NewValue(typ, nil)
	}
	if v == unknown {
		return tftypes.NewValue(typ, tftypes.UnknownValue)
	}
	switch x := v.(type) {
	case string, bool, int, int64:
		return tftypes.NewValue(typ, x)
	case []string:
		var elem tftypes.Type
		switch tt := typ.(type) {
		case tftypes.List:
			elem = tt.ElementType
		case tftypes.Set:
			elem = tt.ElementType
		default:
			t.Fatalf("[]string for %s", typ)
		}
		elems := make([]tftypes.Value, len(x))
		for i, s := range x {
			elems[i] = tftypes.NewValue(elem, s)
		}
		return tftypes.NewValue(typ, elems)
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, s := range x {
			m[k] = s
		}
		return tfValue(t, typ, m)
	case map[string]any:
		out := map[string]tftypes.Value{}
		switch tt := typ.(type) {
		case tftypes.Map:
			for k, e := range x {
				out[k] = tfValue(t, tt.ElementType, e)
			}
		case tftypes.Object:
			for name := range x {
				if _, ok := tt.AttributeTypes[name]; !ok {
					t.Fatalf("%s has no attribute %q", typ, name)
				}
			}
			for name, at := range tt.AttributeTypes {
				out[name] = tfValue(t, at, x[name])
			}
		default:
			t.Fatalf("map for %s", typ)
		}
		return tftypes.NewValue(typ, out)
	}
	t.Fatalf("unsupported test value %T", v)
	return tftypes.Value{}
}

// newServer is the provider's protocol 6 server, in process, with its schemas loaded.
func newServer(t *testing.T) tfprotov6.ProviderServer {
	t.Helper()
	return newServerOf(t, New("test")())
}

// newServerOf is newServer for a given provider (see exports_test.go for the test hooks).
func newServerOf(t *testing.T, p provider.Provider) tfprotov6.ProviderServer {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(p)()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	return server
}

// schemaKind says which schema a configuration is for.
type schemaKind int

const (
	providerSchema schemaKind = iota
	resourceSchema
	dataSourceSchema
)

// schemaType is the object type of the provider's schema (typeName ignored) or of the resource or
// data source typeName.
func schemaType(t *testing.T, server tfprotov6.ProviderServer, kind schemaKind, typeName string) tftypes.Object {
	t.Helper()
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	expectDiagnostic(t, resp.Diagnostics, "")
	var s *tfprotov6.Schema
	switch kind {
	case providerSchema:
		s = resp.Provider
	case resourceSchema:
		s = resp.ResourceSchemas[typeName]
	case dataSourceSchema:
		s = resp.DataSourceSchemas[typeName]
	}
	if s == nil {
		t.Fatalf("no schema for %s", typeName)
	}
	return s.ValueType().(tftypes.Object)
}

// configValue builds a configuration for the provider, a resource or a data source from Go values
// (see tfValue): every attribute not in attrs is null.
func configValue(t *testing.T, server tfprotov6.ProviderServer, kind schemaKind, typeName string, attrs map[string]any) *tfprotov6.DynamicValue {
	t.Helper()
	typ := schemaType(t, server, kind, typeName)
	dv := dynamic(t, typ, tfValue(t, typ, attrs))
	return &dv
}

// validateConfig runs Terraform's validate RPC for the provider, a resource or a data source:
// schema validators and ValidateConfig, with no provider configuration, no client and no AWS call.
func validateConfig(t *testing.T, kind schemaKind, typeName string, attrs map[string]any) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	server := newServer(t)
	config := configValue(t, server, kind, typeName, attrs)
	var diags []*tfprotov6.Diagnostic
	var err error
	switch kind {
	case providerSchema:
		var resp *tfprotov6.ValidateProviderConfigResponse
		if resp, err = server.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{Config: config}); err == nil {
			diags = resp.Diagnostics
		}
	case resourceSchema:
		var resp *tfprotov6.ValidateResourceConfigResponse
		if resp, err = server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: config}); err == nil {
			diags = resp.Diagnostics
		}
	case dataSourceSchema:
		var resp *tfprotov6.ValidateDataResourceConfigResponse
		if resp, err = server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: typeName, Config: config}); err == nil {
			diags = resp.Diagnostics
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return diags
}

// diagLine renders one diagnostic as "attribute: summary: detail".
func diagLine(d *tfprotov6.Diagnostic) string {
	where := ""
	if d.Attribute != nil {
		where = d.Attribute.String()
	}
	return where + ": " + d.Summary + ": " + d.Detail
}

// diagText renders every diagnostic, one "[SEVERITY] attribute: summary: detail" line each.
func diagText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "[%v] %s\n", d.Severity, diagLine(d))
	}
	return b.String()
}

// errorsOf renders the error diagnostics, one "attribute: summary: detail" line each.
func errorsOf(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			b.WriteString(diagLine(d) + "\n")
		}
	}
	return b.String()
}

// expectDiagnostic fails unless one error diagnostic mentions want (and, when given, attribute,
// which the attribute path shows); want "" means no error at all.
func expectDiagnostic(t *testing.T, diags []*tfprotov6.Diagnostic, want string, attribute ...string) {
	t.Helper()
	if want == "" {
		if msg := errorsOf(diags); msg != "" {
			t.Fatalf("want no error, got:\n%s", msg)
		}
		return
	}
	for _, d := range diags {
		if d.Severity != tfprotov6.DiagnosticSeverityError {
			continue
		}
		line, ok := diagLine(d), true
		for _, a := range attribute {
			ok = ok && strings.Contains(line, a)
		}
		if ok && strings.Contains(line, want) {
			return
		}
	}
	on := ""
	if len(attribute) > 0 {
		on = fmt.Sprintf(" on %s", strings.Join(attribute, ", "))
	}
	t.Fatalf("want an error%s mentioning %q, got:\n%s", on, want, diagText(diags))
}

// protoHarness drives the onboarded user resource through plan, apply, read and destroy: the
// write-only attribute needs a client that says it supports write-only values, which the Terraform
// used by the acceptance tests (1.8) does not.
type protoHarness struct {
	t        *testing.T
	srv      tfprotov6.ProviderServer
	resource *tfprotov6.Schema
	typ      tftypes.Object
	typeName string // the resource type the RPCs are about
}

func newProtoHarness(t *testing.T) *protoHarness {
	t.Helper()
	return newProtoHarnessOf(t, New("test")())
}

// newProtoHarnessOf is newProtoHarness for a given provider.
func newProtoHarnessOf(t *testing.T, p provider.Provider) *protoHarness {
	t.Helper()
	srv := newServerOf(t, p)
	schemas, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return &protoHarness{t: t, srv: srv, resource: schemas.ResourceSchemas[onboardedUserType], typ: schemaType(t, srv, resourceSchema, onboardedUserType), typeName: onboardedUserType}
}

// of is the harness for another resource type of the same provider server.
func (h *protoHarness) of(typeName string) *protoHarness {
	h.t.Helper()
	schemas, err := h.srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		h.t.Fatal(err)
	}
	return &protoHarness{t: h.t, srv: h.srv, resource: schemas.ResourceSchemas[typeName], typ: schemaType(h.t, h.srv, resourceSchema, typeName), typeName: typeName}
}

// configure configures the provider; attrs sets top-level provider attributes and blocks.
func (h *protoHarness) configure(attrs map[string]any) {
	h.t.Helper()
	resp, err := h.srv.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.11.0", Config: configValue(h.t, h.srv, providerSchema, "", attrs),
	})
	if err != nil {
		h.t.Fatal(err)
	}
	expectDiagnostic(h.t, resp.Diagnostics, "")
}

// config builds a resource configuration (or state) from Go values: every attribute not in attrs is null.
func (h *protoHarness) config(attrs map[string]any) tftypes.Value {
	h.t.Helper()
	return tfValue(h.t, h.typ, attrs)
}

func (h *protoHarness) validate(config tftypes.Value, writeOnly bool) []*tfprotov6.Diagnostic {
	h.t.Helper()
	dv := dynamic(h.t, h.typ, config)
	resp, err := h.srv.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
		TypeName: h.typeName, Config: &dv,
		ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: writeOnly},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.Diagnostics
}

// plan plans config against prior (null for a create), proposing what Terraform core proposes:
// configured values, and the prior value of computed attributes left unset.
func (h *protoHarness) plan(prior, config tftypes.Value) (tftypes.Value, []byte) {
	h.t.Helper()
	planned, private, diags := h.planDiags(prior, config)
	expectDiagnostic(h.t, diags, "")
	return planned, private
}

func (h *protoHarness) planDiags(prior, config tftypes.Value) (tftypes.Value, []byte, []*tfprotov6.Diagnostic) {
	h.t.Helper()
	proposed := config
	if !prior.IsNull() {
		proposed = h.proposedNew(prior, config)
	}
	priorDV, proposedDV, configDV := dynamic(h.t, h.typ, prior), dynamic(h.t, h.typ, proposed), dynamic(h.t, h.typ, config)
	resp, err := h.srv.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: h.typeName, PriorState: &priorDV, ProposedNewState: &proposedDV, Config: &configDV,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	if resp.PlannedState == nil {
		return tftypes.NewValue(h.typ, nil), nil, resp.Diagnostics
	}
	planned, err := resp.PlannedState.Unmarshal(h.typ)
	if err != nil {
		h.t.Fatal(err)
	}
	return planned, resp.PlannedPrivate, resp.Diagnostics
}

func (h *protoHarness) apply(prior, planned, config tftypes.Value, private []byte) (tftypes.Value, []*tfprotov6.Diagnostic) {
	h.t.Helper()
	priorDV, plannedDV, configDV := dynamic(h.t, h.typ, prior), dynamic(h.t, h.typ, planned), dynamic(h.t, h.typ, config)
	resp, err := h.srv.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: h.typeName, PriorState: &priorDV, PlannedState: &plannedDV, Config: &configDV, PlannedPrivate: private,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	if resp.NewState == nil {
		return tftypes.NewValue(h.typ, nil), resp.Diagnostics
	}
	state, err := resp.NewState.Unmarshal(h.typ)
	if err != nil {
		h.t.Fatal(err)
	}
	return state, resp.Diagnostics
}

func (h *protoHarness) read(state tftypes.Value) tftypes.Value {
	h.t.Helper()
	dv := dynamic(h.t, h.typ, state)
	resp, err := h.srv.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: h.typeName, CurrentState: &dv})
	if err != nil {
		h.t.Fatal(err)
	}
	expectDiagnostic(h.t, resp.Diagnostics, "")
	if resp.NewState == nil {
		return tftypes.NewValue(h.typ, nil)
	}
	v, err := resp.NewState.Unmarshal(h.typ)
	if err != nil {
		h.t.Fatal(err)
	}
	return v
}

// destroy plans and applies the destruction of state.
func (h *protoHarness) destroy(state tftypes.Value) []*tfprotov6.Diagnostic {
	h.t.Helper()
	null := tftypes.NewValue(h.typ, nil)
	_, diags := h.apply(state, null, null, nil)
	return diags
}

func (h *protoHarness) proposedNew(prior, config tftypes.Value) tftypes.Value {
	var p, c map[string]tftypes.Value
	_ = prior.As(&p)
	_ = config.As(&c)
	out := map[string]tftypes.Value{}
	for _, a := range h.resource.Block.Attributes {
		if a.Computed && c[a.Name].IsNull() {
			out[a.Name] = p[a.Name]
		} else {
			out[a.Name] = c[a.Name]
		}
	}
	return tftypes.NewValue(h.typ, out)
}

func dynamic(t *testing.T, typ tftypes.Type, v tftypes.Value) tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return dv
}

func attrOf(t *testing.T, v tftypes.Value, name string) tftypes.Value {
	t.Helper()
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		t.Fatal(err)
	}
	return m[name]
}

func stringAttr(t *testing.T, v tftypes.Value, name string) (string, bool) {
	t.Helper()
	a := attrOf(t, v, name)
	if a.IsNull() || !a.IsKnown() {
		return "", false
	}
	var s string
	if err := a.As(&s); err != nil {
		t.Fatal(err)
	}
	return s, true
}

// expectSays fails t for each of wants that text (what the test calls it) does not contain.
func expectSays(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s does not say %q:\n%s", what, want, text)
		}
	}
}
