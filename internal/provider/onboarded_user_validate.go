package provider

import (
	"context"
	"fmt"
	"net/mail"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A sane address: one @, a local part, a dotted domain with a 2+ letter top level, no spaces.
var emailShape = regexp.MustCompile(`^[^@\s]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$`)

// emailValidator accepts a bare address (no display name) that net/mail parses.
type emailValidator struct{}

func (emailValidator) Description(context.Context) string {
	return "must be an email address such as name@example.com"
}

func (v emailValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (emailValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if msg := checkEmail(s); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid email address",
			fmt.Sprintf("%q %s: give the bare address, e.g. \"ada@example.com\".", s, msg))
	}
}

// checkEmail returns why s is not an email address, or "".
func checkEmail(s string) string {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return fmt.Sprintf("is not an email address (%v)", err)
	}
	if a.Address != s || a.Name != "" {
		return "must be the address alone, without a display name or angle brackets"
	}
	if !emailShape.MatchString(s) {
		return "does not look like name@domain.tld"
	}
	return ""
}

// ValidateConfig enforces the one rule no attribute validator can: with console access, exactly
// one way to deliver the temporary password.
func (r *onboardedUserResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var console, store types.Bool
	var pgp, wo types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("console_access"), &console)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("store_password_in_state"), &store)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("pgp_key"), &pgp)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("temporary_password_wo"), &wo)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if console.IsUnknown() || store.IsUnknown() {
		return // decided at plan time, when the values are known
	}
	var chosen []string
	if !pgp.IsNull() {
		chosen = append(chosen, "pgp_key")
	}
	if !wo.IsNull() {
		chosen = append(chosen, "temporary_password_wo")
	}
	if store.ValueBool() {
		chosen = append(chosen, "store_password_in_state")
	}
	consoleOn := console.IsNull() || console.ValueBool()
	const choices = "Choose exactly one way to deliver the temporary console password:\n" +
		"  - pgp_key = \"<base64 or ASCII-armored public key of the person>\": the generated password is stored only encrypted, in encrypted_temporary_password (recommended);\n" +
		"  - temporary_password_wo = <password> with temporary_password_wo_version = 1 (Terraform >= 1.11): you supply the password and nothing lands in the state;\n" +
		"  - store_password_in_state = true: the generated password is kept in the state as the sensitive temporary_password.\n" +
		"Or set console_access = false for a user without console access."
	switch {
	case consoleOn && len(chosen) == 0:
		resp.Diagnostics.AddAttributeError(path.Root("console_access"), "No delivery chosen for the temporary password",
			"console_access is true (the default), so the person gets a temporary password, but no way to deliver it is set. "+choices)
	case consoleOn && len(chosen) > 1:
		resp.Diagnostics.AddAttributeError(path.Root(chosen[1]), "More than one delivery chosen for the temporary password",
			fmt.Sprintf("%v are all set; keep exactly one. %s", chosen, choices))
	case !consoleOn && len(chosen) > 0:
		resp.Diagnostics.AddAttributeWarning(path.Root(chosen[0]), "No temporary password without console access",
			fmt.Sprintf("console_access is false, so %v has no effect until console access is enabled.", chosen))
	}
	var version types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("temporary_password_wo_version"), &version)...)
	if !wo.IsNull() && version.IsNull() {
		resp.Diagnostics.AddAttributeWarning(path.Root("temporary_password_wo_version"), "Set temporary_password_wo_version",
			"temporary_password_wo is write-only, so Terraform cannot see when it changes: set temporary_password_wo_version = 1 and increase it whenever you set a new temporary password.")
	}
}
