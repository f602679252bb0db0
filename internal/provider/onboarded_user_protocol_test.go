package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const onboardedUserType = "iambaseline_onboarded_user"

// protoHarness drives the provider the way Terraform does, over protocol 6, without a Terraform
// binary: the write-only attribute needs a client that says it supports write-only values, which
// the Terraform used by the acceptance tests (1.8) does not.
type protoHarness struct {
	t        *testing.T
	srv      tfprotov6.ProviderServer
	resource *tfprotov6.Schema
	typ      tftypes.Object
}

func newProtoHarness(t *testing.T) *protoHarness {
	t.Helper()
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	failOnDiags(t, "GetProviderSchema", schemas.Diagnostics)
	h := &protoHarness{t: t, srv: srv, resource: schemas.ResourceSchemas[onboardedUserType]}
	h.typ = h.resource.ValueType().(tftypes.Object)
	return h
}

// configure configures the provider; attrs sets top-level provider attributes and blocks.
func (h *protoHarness) configure(schemaValues map[string]tftypes.Value) {
	h.t.Helper()
	schemas, _ := h.srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	typ := schemas.Provider.ValueType().(tftypes.Object)
	cfg := objectValue(typ, schemaValues)
	dv := dynamic(h.t, typ, cfg)
	resp, err := h.srv.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.0", Config: &dv})
	if err != nil {
		h.t.Fatal(err)
	}
	failOnDiags(h.t, "ConfigureProvider", resp.Diagnostics)
}

// config builds a resource configuration: every attribute not in values is null.
func (h *protoHarness) config(values map[string]tftypes.Value) tftypes.Value {
	return objectValue(h.typ, values)
}

func (h *protoHarness) validate(config tftypes.Value, writeOnly bool) []*tfprotov6.Diagnostic {
	h.t.Helper()
	dv := dynamic(h.t, h.typ, config)
	resp, err := h.srv.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
		TypeName: onboardedUserType, Config: &dv,
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
	failOnDiags(h.t, "PlanResourceChange", diags)
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
		TypeName: onboardedUserType, PriorState: &priorDV, ProposedNewState: &proposedDV, Config: &configDV,
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
		TypeName: onboardedUserType, PriorState: &priorDV, PlannedState: &plannedDV, Config: &configDV, PlannedPrivate: private,
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
	resp, err := h.srv.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: onboardedUserType, CurrentState: &dv})
	if err != nil {
		h.t.Fatal(err)
	}
	failOnDiags(h.t, "ReadResource", resp.Diagnostics)
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

func objectValue(typ tftypes.Object, values map[string]tftypes.Value) tftypes.Value {
	out := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		if v, ok := values[name]; ok {
			out[name] = v
		} else {
			out[name] = tftypes.NewValue(t, nil)
		}
	}
	return tftypes.NewValue(typ, out)
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

func failOnDiags(t *testing.T, what string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s: %s", what, d.Summary, d.Detail)
		}
	}
}

func errorsOf(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			b.WriteString(d.Summary + ": " + d.Detail + "\n")
		}
	}
	return b.String()
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
func boolean(b bool) tftypes.Value {
	return tftypes.NewValue(tftypes.Bool, b)
}
func number(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
func stringSetValue(values ...string) tftypes.Value {
	elems := make([]tftypes.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, str(v))
	}
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, elems)
}
