package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

var (
	_ datasource.DataSource              = &auditDataSource{}
	_ datasource.DataSourceWithConfigure = &auditDataSource{}
)

// NewAuditDataSource returns the iambaseline_audit data source.
func NewAuditDataSource() datasource.DataSource { return &auditDataSource{} }

type auditDataSource struct{ dataSourceClients }

type auditDataSourceModel struct {
	UnusedCredentialDays types.Int64         `tfsdk:"unused_credential_days"`
	AccessKeyMaxAgeDays  types.Int64         `tfsdk:"access_key_max_age_days"`
	AdminPrincipals      types.Set           `tfsdk:"admin_principals"`
	ID                   types.String        `tfsdk:"id"`
	Findings             []auditFindingModel `tfsdk:"findings"`
	Checks               []auditCheckModel   `tfsdk:"checks"`
	Passed               types.Int64         `tfsdk:"passed"`
	Failed               types.Int64         `tfsdk:"failed"`
	Summary              types.String        `tfsdk:"summary"`
	CredentialSource     types.String        `tfsdk:"credential_source"`
}

type auditFindingModel struct {
	CheckID    types.String `tfsdk:"check_id"`
	CISControl types.String `tfsdk:"cis_control"`
	Severity   types.String `tfsdk:"severity"`
	Resource   types.String `tfsdk:"resource"`
	Message    types.String `tfsdk:"message"`
}

type auditCheckModel struct {
	CheckID    types.String `tfsdk:"check_id"`
	CISControl types.String `tfsdk:"cis_control"`
	Severity   types.String `tfsdk:"severity"`
	Title      types.String `tfsdk:"title"`
	Passed     types.Bool   `tfsdk:"passed"`
	Findings   types.Int64  `tfsdk:"findings"`
}

func (d *auditDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_audit"
}

func (d *auditDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	checkIDs := make([]string, 0, len(baseline.AuditChecks))
	for _, c := range baseline.AuditChecks {
		checkIDs = append(checkIDs, "`"+c.ID+"`")
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The regular IAM review of the account against the CIS AWS Foundations Benchmark v5.0.0 " +
			"(section 1, Identity and Access Management). It reads the account in bulk — the account summary, the password " +
			"policy, users, groups, roles, customer managed policies, MFA devices and the IAM credential report (login " +
			"profiles, access keys and their last use) — about 9 requests whatever the number of users — and, for CIS sections 3 " +
			"and 4, the CloudTrail trails, the metric filters of their log groups, the alarms and the SNS subscriptions (6 more " +
			"requests with one trail, plus 2 per further trail). When an IAM Identity Center instance is visible it also reads its " +
			"permission sets (per set: describe, inline and managed policies, the accounts of the latest and of a stale copy, and the " +
			"assignments in each account) and adds the `identity_center_*` checks: assignments to users instead of groups, sets changed " +
			"but not provisioned, sets with no assignment, sessions longer than 8 hours, `*` on `*` outside `admin_principals`, IAM users " +
			"with console access next to Identity Center (list a break-glass user in `admin_principals`), and two manual checks AWS " +
			"offers no API for, always reported with the console steps: the MFA settings and the invitation emails. It returns one " +
			"finding per problem with the way to fix it. Reading it changes nothing in the account.",
		Attributes: map[string]schema.Attribute{
			"unused_credential_days": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "A console password or active access key unused for more than this many days is a finding " +
					"(`unused_credentials`, CIS 1.11); a credential never used counts from when it was created. At least 1. Defaults to `45`.",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"access_key_max_age_days": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "An active access key created more than this many days ago is a finding (`access_key_rotation`, " +
					"CIS 1.13). At least 1. Defaults to `90`.",
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"admin_principals": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Users, groups and roles (by name or ARN) that are explicitly administrators: a policy allowing " +
					"every action on every resource (`\"Action\": \"*\"` on `\"Resource\": \"*\"`, e.g. `AdministratorAccess`) attached " +
					"to them is expected and not reported by `admin_policy_attached` (CIS 1.15). Defaults to none: every such " +
					"attachment is a finding, so list your break-glass admin group or role here.",
				Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthBetween(1, 2048))},
			},
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The audited account's ID.",
			},
			"findings": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "One entry per problem, ordered by check (in the order of `checks`), then resource, then message. " +
					"Empty when every check passes.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"check_id":    schema.StringAttribute{Computed: true, MarkdownDescription: "The check that failed, one of " + strings.Join(checkIDs, ", ") + "."},
					"cis_control": schema.StringAttribute{Computed: true, MarkdownDescription: "The CIS AWS Foundations Benchmark v5.0.0 control, e.g. `1.9`."},
					"severity":    schema.StringAttribute{Computed: true, MarkdownDescription: "`critical`, `high`, `medium` or `low`."},
					"resource":    schema.StringAttribute{Computed: true, MarkdownDescription: "ARN of what is wrong: the user, group or role, the root user (`arn:aws:iam::<account>:root`), or `iam-account-password-policy`."},
					"message":     schema.StringAttribute{Computed: true, MarkdownDescription: "What is wrong and how to fix it."},
				}},
			},
			"checks": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Every check the audit ran, in a fixed order, with its outcome.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"check_id":    schema.StringAttribute{Computed: true, MarkdownDescription: "Stable identifier of the check."},
					"cis_control": schema.StringAttribute{Computed: true, MarkdownDescription: "The CIS AWS Foundations Benchmark v5.0.0 control."},
					"severity":    schema.StringAttribute{Computed: true, MarkdownDescription: "Severity of the check's findings."},
					"title":       schema.StringAttribute{Computed: true, MarkdownDescription: "What the check expects."},
					"passed":      schema.BoolAttribute{Computed: true, MarkdownDescription: "`true` when the check has no finding."},
					"findings":    schema.Int64Attribute{Computed: true, MarkdownDescription: "Number of findings of the check."},
				}},
			},
			"passed": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Number of checks without any finding.",
			},
			"failed": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Number of checks with at least one finding. `passed + failed` is the number of checks.",
			},
			"summary": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "One line for humans and CI logs, e.g. `12 checks: 9 passed, 3 failed (1 critical, 2 high); " +
					"5 findings; credentials from the IAM credential report generated 2026-06-01T10:00:00Z`.",
			},
			"credential_source": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Where the per-user credential facts came from: `credential_report` (the IAM credential report, " +
					"which AWS regenerates at most every 4 hours, so users created since may show no credential finding yet) or " +
					"`per_user_calls` (the report could not be read; the summary says why, and the audit then costs 3 requests " +
					"per user plus one per access key).",
			},
		},
	}
}

func (d *auditDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	withModel(ctx, d.client, "audit.Read", req.Config, &resp.Diagnostics, func(m auditDataSourceModel) {
		opts := baseline.AuditOptions{
			UnusedCredentialDays: int(m.UnusedCredentialDays.ValueInt64()),
			AccessKeyMaxAgeDays:  int(m.AccessKeyMaxAgeDays.ValueInt64()),
		}
		resp.Diagnostics.Append(m.AdminPrincipals.ElementsAs(ctx, &opts.AdminPrincipals, true)...)
		if resp.Diagnostics.HasError() {
			return
		}

		before := d.client.Calls.Total()
		audit, err := d.client.ReadAccountAudit(ctx)
		if err != nil {
			resp.Diagnostics.AddError("Cannot audit the AWS account", fmt.Sprintf("reading the account for iambaseline_audit: %s", err))
			return
		}
		accountID, err := d.client.AccountID(ctx)
		if err != nil {
			// Only names the root user in findings; the ARNs of the account's users carry it too.
			accountID = audit.AccountIDOfUsers()
		}
		tflog.Info(ctx, "iambaseline_audit read the account", map[string]any{
			"aws_requests": d.client.Calls.Total() - before, "credential_source": audit.CredentialSource,
		})

		facts := audit.Facts(accountID, d.client.Partition)
		if facts.Activity, err = d.activity.ReadActivityFacts(ctx); err != nil {
			// Without CloudTrail, CloudWatch and SNS read access the IAM checks still run.
			facts.Activity = nil
			resp.Diagnostics.AddWarning("CIS sections 3 and 4 not audited",
				fmt.Sprintf("Reading CloudTrail, CloudWatch Logs, CloudWatch and SNS failed, so the trail and alert checks were left out: %s. Grant read access to them (e.g. the AWS managed SecurityAudit policy) to audit them.", err))
		}
		if facts.IdentityCenter, err = d.sso.ReadIdentityCenterFacts(ctx); err != nil {
			// Without sso-admin read access (or outside the management and delegated administrator
			// accounts) the other checks still run.
			facts.IdentityCenter = nil
			resp.Diagnostics.AddWarning("IAM Identity Center not audited",
				fmt.Sprintf("Reading IAM Identity Center failed, so its checks were left out: %s. Run the audit with credentials of the management or delegated administrator account that may call sso:List* and sso:Describe* (e.g. the AWS managed SecurityAudit policy).", err))
		}
		res := baseline.Audit(facts, opts)

		m.ID = types.StringValue(accountID)
		if accountID == "" {
			m.ID = types.StringValue("iambaseline-audit")
		}
		m.Findings = make([]auditFindingModel, 0, len(res.Findings))
		for _, f := range res.Findings {
			m.Findings = append(m.Findings, auditFindingModel{
				CheckID: types.StringValue(f.CheckID), CISControl: types.StringValue(f.CISControl), Severity: types.StringValue(f.Severity),
				Resource: types.StringValue(f.Resource), Message: types.StringValue(f.Message),
			})
		}
		m.Checks = make([]auditCheckModel, 0, len(res.Checks))
		for _, c := range res.Checks {
			m.Checks = append(m.Checks, auditCheckModel{
				CheckID: types.StringValue(c.ID), CISControl: types.StringValue(c.CISControl), Severity: types.StringValue(c.Severity),
				Title: types.StringValue(c.Title), Passed: types.BoolValue(c.Passed), Findings: types.Int64Value(int64(c.Findings)),
			})
		}
		m.Passed = types.Int64Value(int64(res.Passed))
		m.Failed = types.Int64Value(int64(res.Failed))
		m.CredentialSource = types.StringValue(audit.CredentialSource)
		m.Summary = types.StringValue(res.Summary() + "; " + credentialSourceNote(audit))
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	})
}

func credentialSourceNote(a *awsiam.AccountAudit) string {
	if a.CredentialSource == awsiam.CredentialSourceReport {
		if a.ReportGeneratedAt.IsZero() {
			return "credentials from the IAM credential report"
		}
		return "credentials from the IAM credential report generated " + a.ReportGeneratedAt.UTC().Format(time.RFC3339)
	}
	return "the IAM credential report was unavailable (" + a.CredentialReportError + "), so credentials were read user by user"
}
