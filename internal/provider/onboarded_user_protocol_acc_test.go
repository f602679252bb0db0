package provider

import (
	"context"
	"maps"
	"math/big"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest/accenv"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// emulatorIAM is acctest.EmulatorIAM for this package's internal tests (acctest imports the
// provider, so they cannot import it): skipped without TF_ACC, failing without an emulator.
func emulatorIAM(t *testing.T) *iam.Client {
	t.Helper()
	if !accenv.Enabled() {
		t.Skip(accenv.SkipReason)
	}
	if msg := accenv.Problem(); msg != "" {
		t.Fatal(msg)
	}
	c, err := accenv.IAMClient(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func createTestGroup(t *testing.T, api *iam.Client) string {
	t.Helper()
	name := accenv.RandomName("tf-acc-grp")
	if _, err := api.CreateGroup(context.Background(), &iam.CreateGroupInput{GroupName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = api.DeleteGroup(context.Background(), &iam.DeleteGroupInput{GroupName: aws.String(name)})
	})
	return name
}

// TestAccOnboardedUserWriteOnlyPassword drives the write-only temporary password at the protocol level
// (Terraform 1.8 of the acceptance tests predates write-only attributes) against the emulator: the
// caller's password becomes the login profile, and no state the provider returns holds it.
func TestAccOnboardedUserWriteOnlyPassword(t *testing.T) {
	api := emulatorIAM(t)
	group := createTestGroup(t, api)
	name := accenv.RandomName("tf-acc-wo")
	h := newProtoHarness(t)
	h.configure(nil)

	const password = "Wr1te-Only!Passw0rd#2026"
	cfg := func(pw string, version int64) tftypes.Value {
		return h.config(map[string]any{
			"user_name": name, "full_name": "Write Only", "email": "wo@example.com",
			"groups": []string{group}, "temporary_password_wo": pw, "temporary_password_wo_version": version,
		})
	}
	config := cfg(password, 1)
	expectDiagnostic(t, h.validate(config, true), "")
	null := tftypes.NewValue(h.typ, nil)
	planned, private := h.plan(null, config)
	if wo := attrOf(t, planned, "temporary_password_wo"); !wo.IsNull() {
		t.Fatal("the planned state holds temporary_password_wo")
	}
	state, diags := h.apply(null, planned, config, private)
	expectDiagnostic(t, diags, "")
	t.Cleanup(func() { expectDiagnostic(t, h.destroy(h.read(state)), "") })

	if wo := attrOf(t, state, "temporary_password_wo"); !wo.IsNull() {
		t.Fatal("the new state holds temporary_password_wo")
	}
	for _, a := range []string{"temporary_password", "encrypted_temporary_password"} {
		if v := attrOf(t, state, a); !v.IsNull() {
			t.Fatalf("%s is set with write-only delivery", a)
		}
	}
	if _, err := api.GetLoginProfile(context.Background(), &iam.GetLoginProfileInput{UserName: aws.String(name)}); err != nil {
		t.Fatalf("no login profile after create: %v", err)
	}
	_ = tftypes.Walk(state, func(p *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		var s string
		if v.Type().Is(tftypes.String) && v.IsKnown() && !v.IsNull() && v.As(&s) == nil && s == password {
			t.Errorf("the password is in the state at %s", p)
		}
		return true, nil
	})

	// Refresh, then a plan without changes is empty.
	state = h.read(state)
	again, _ := h.plan(state, config)
	if !again.Equal(state) {
		diff, _ := again.Diff(state)
		t.Fatalf("plan after refresh is not empty: %v", diff)
	}

	// A new version sets a new password, still without storing it.
	config2 := cfg("An0ther-Wr1te-Only!Pass", 2)
	expectDiagnostic(t, h.validate(config2, true), "")
	planned, private = h.plan(state, config2)
	state2, diags := h.apply(state, planned, config2, private)
	expectDiagnostic(t, diags, "")
	if wo := attrOf(t, state2, "temporary_password_wo"); !wo.IsNull() {
		t.Fatal("the state after the version change holds temporary_password_wo")
	}
	version := new(big.Float)
	if err := attrOf(t, state2, "temporary_password_wo_version").As(&version); err != nil || version.Cmp(big.NewFloat(2)) != 0 {
		t.Fatalf("temporary_password_wo_version = %v (%v), want 2", version, err)
	}
	state = state2
}

// TestAccOnboardedUserRequestCounts pins the AWS requests of onboarded users at the protocol level,
// with the provider's request counter: a create sends CreateUser, AddUserToGroup and
// CreateLoginProfile (the account password policy is read once per provider process); a refresh
// reads the snapshot and the credential report once for all users (3 requests besides configure's
// GetCredentialReport), then one GetLoginProfile per user.
func TestAccOnboardedUserRequestCounts(t *testing.T) {
	api := emulatorIAM(t)
	group := createTestGroup(t, api)
	var client *awsiam.Client
	h := newProtoHarnessOf(t, providerObservingClient(func(c *awsiam.Client) { client = c }))
	h.configure(nil)
	if client == nil {
		t.Fatal("the provider's Configure did not hand its AWS client to the test hook")
	}
	_, pgp, _ := testPGPKey(t)

	const users = 3
	var states []tftypes.Value
	null := tftypes.NewValue(h.typ, nil)
	var configs []tftypes.Value
	for i := 0; i < users; i++ {
		configs = append(configs, h.config(map[string]any{
			"user_name": accenv.RandomName("tf-acc-count"), "full_name": "Count Me", "email": "count@example.com",
			"groups": []string{group}, "pgp_key": pgp,
		}))
	}
	policyReads := 0
	for i := range configs {
		planned, private := h.plan(null, configs[i])
		before := client.Calls.Counts()
		state, diags := h.apply(null, planned, configs[i], private)
		expectDiagnostic(t, diags, "")
		got := countsDelta(before, client.Calls.Counts())
		t.Logf("create of user %d: %s", i+1, diffCounts(before, client.Calls.Counts()))
		states = append(states, state)
		policyReads += got["IAM:GetAccountPasswordPolicy"]
		delete(got, "IAM:GetAccountPasswordPolicy")
		// UntagUser: the create removes its create marker last (baseline.CreateMarkerTag).
		want := map[string]int{"IAM:CreateUser": 1, "IAM:AddUserToGroup": 1, "IAM:CreateLoginProfile": 1, "IAM:UntagUser": 1}
		if got["IAM:CreateUser"] == 2 {
			// The emulator's connection dropped the first CreateUser's answer (seen under load): the SDK
			// sent it again, IAM answered EntityAlreadyExists, and the create adopted its own marked user
			// (GetUser, ListGroupsForUser). That path, and no other, may cost these extra requests.
			want = map[string]int{"IAM:CreateUser": 2, "IAM:GetUser": 1, "IAM:ListGroupsForUser": 1, "IAM:AddUserToGroup": 1, "IAM:CreateLoginProfile": 1, "IAM:UntagUser": 1}
		}
		if !maps.Equal(got, want) {
			t.Errorf("create of user %d sent %v, want %v (plus the password policy read once per process)", i+1, got, want)
		}
	}
	if policyReads != 1 {
		t.Errorf("%d creates read the account password policy %d times, want once per provider process", users, policyReads)
	}
	t.Cleanup(func() {
		for _, s := range states {
			expectDiagnostic(t, h.destroy(s), "")
		}
	})
	// Terraform refreshes in a new provider process: configure again (a new client, whose
	// configure reads the credential report as it is now), then read every user.
	h.configure(nil)
	before := map[string]int{}
	for i := range states {
		b := client.Calls.Counts()
		states[i] = h.read(states[i])
		got := countsDelta(b, client.Calls.Counts())
		t.Logf("refresh of user %d: %s", i+1, diffCounts(b, client.Calls.Counts()))
		if i > 0 && !maps.Equal(got, map[string]int{"IAM:GetLoginProfile": 1}) {
			t.Errorf("refresh of user %d sent %v, want only its GetLoginProfile (the snapshot and credential report are shared)", i+1, got)
		}
	}
	all := countsDelta(before, client.Calls.Counts())
	t.Logf("refresh of %d users: %s", users, diffCounts(before, client.Calls.Counts()))
	// N + 4 with configure. Configure reads the credential report (GetCredentialReport). When the
	// emulator had one, the reads add ListUsers and ListVirtualMFADevices (a reused report may be
	// hours old); when it had none, they generate one, and that fresh report answers both.
	bulk := map[string]int{"IAM:GetCredentialReport": 1, "IAM:GetAccountAuthorizationDetails": 1, "IAM:GetLoginProfile": users}
	reused, generated := maps.Clone(bulk), maps.Clone(bulk)
	reused["IAM:ListUsers"], reused["IAM:ListVirtualMFADevices"] = 1, 1
	generated["IAM:GenerateCredentialReport"], generated["IAM:GetCredentialReport"] = 1, 2
	if !maps.Equal(all, reused) && !maps.Equal(all, generated) {
		t.Errorf("refresh of %d users sent %v, want %v (a report was there) or %v (none was)", users, all, reused, generated)
	}
}

// countsDelta is what the counter counted between two snapshots of its counts.
func countsDelta(before, after map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			out[k] = d
		}
	}
	return out
}

func diffCounts(before, after map[string]int) string {
	total := 0
	out := ""
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			total += d
			out += " " + k + "=" + itoa(d)
		}
	}
	return itoa(total) + " requests:" + out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}
