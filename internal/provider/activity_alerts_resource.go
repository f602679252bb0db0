package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsactivity"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

var _ fullResource = &activityAlertsResource{}

// NewActivityAlertsResource is the iambaseline_activity_alerts resource.
func NewActivityAlertsResource() resource.Resource { return &activityAlertsResource{} }

type activityAlertsResource struct{ resourceClients }

type activityAlertsModel struct {
	ID                types.String `tfsdk:"id"`
	TrailName         types.String `tfsdk:"trail_name"`
	EmailAddresses    types.List   `tfsdk:"email_addresses"`
	HTTPSEndpoints    types.List   `tfsdk:"https_endpoints"`
	SNSTopicARN       types.String `tfsdk:"sns_topic_arn"`
	S3BucketName      types.String `tfsdk:"s3_bucket_name"`
	UseExistingBucket types.Bool   `tfsdk:"use_existing_bucket"`
	LogRetentionDays  types.Int64  `tfsdk:"log_retention_days"`
	Alerts            types.Map    `tfsdk:"alerts"`
	CustomAlerts      types.Map    `tfsdk:"custom_alerts"`
	KMSKeyARN         types.String `tfsdk:"kms_key_arn"`
	ForceDestroy      types.Bool   `tfsdk:"force_destroy"`
	Tags              types.Map    `tfsdk:"tags"`
	TagsAll           types.Map    `tfsdk:"tags_all"`
	TrailARN          types.String `tfsdk:"trail_arn"`
	LogGroupName      types.String `tfsdk:"log_group_name"`
	LogGroupARN       types.String `tfsdk:"log_group_arn"`
	TopicARN          types.String `tfsdk:"topic_arn"`
	CloudTrailRoleARN types.String `tfsdk:"cloudtrail_role_arn"`
	AlarmNames        types.Map    `tfsdk:"alarm_names"`
	OutOfBandChanges  types.List   `tfsdk:"out_of_band_changes"`
}

type customAlertModel struct {
	Pattern     types.String `tfsdk:"pattern"`
	Description types.String `tfsdk:"description"`
}

var customAlertType = types.ObjectType{AttrTypes: map[string]attr.Type{"pattern": types.StringType, "description": types.StringType}}

func (r *activityAlertsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_activity_alerts"
}

func (r *activityAlertsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	var keys []string
	for _, a := range baseline.ActivityAlerts {
		cis := "startup extra"
		if a.CISControl != "" {
			cis = "CIS " + a.CISControl
		}
		keys = append(keys, fmt.Sprintf("`%s` (%s)", a.Key, cis))
	}
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Logs all account activity with CloudTrail and alerts on what matters: a multi-region trail (read and " +
			"write management events, global service events, log file validation, logging on) into an encrypted, versioned, " +
			"private S3 bucket and a CloudWatch Logs log group, one metric filter and alarm per alert (CIS AWS Foundations " +
			"section 4 plus the IAM events a startup wants to hear about), and an SNS topic with your email and HTTPS " +
			"subscriptions. Drift of any piece (logging stopped, a filter or alarm deleted, a subscription removed, the bucket " +
			"policy changed, retention shortened) shows in `out_of_band_changes` or in the changed argument, and apply repairs it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "The trail name, also the import ID.",
				PlanModifiers: keep},
			"trail_name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: fmt.Sprintf("Name of the CloudTrail trail and the stem of every other name: log group "+
					"`aws-cloudtrail-logs-<trail_name>`, metric filters and alarms `iambaseline-<trail_name>-<alert key>`, topic "+
					"`iambaseline-<trail_name>-alerts`, delivery role `iambaseline-<trail_name>-cloudtrail`. 3-%d characters of "+
					"letters, digits, `.`, `_` and `-`, starting and ending with a letter or digit. Changing it replaces everything.",
					baseline.MaxActivityTrailNameLength),
				PlanModifiers: replace,
			},
			"email_addresses": schema.ListAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Email subscriptions of the alert topic. Each address receives a confirmation email from AWS " +
					"and gets alerts only once it is confirmed (the audit reports unconfirmed topics). Default: none.",
				Validators: []validator.List{listvalidator.UniqueValues(), listvalidator.ValueStringsAre(emailValidator())},
			},
			"https_endpoints": schema.ListAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "HTTPS subscriptions of the alert topic (e.g. a chat or paging webhook). Default: none.",
				Validators: []validator.List{listvalidator.UniqueValues(), listvalidator.ValueStringsAre(
					stringvalidator.RegexMatches(httpsURLPattern, "must be an https:// URL"))},
			},
			"sns_topic_arn": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Publish the alarms to this existing topic instead of creating `iambaseline-<trail_name>-alerts`. " +
					"Its policy must let `cloudwatch.amazonaws.com` publish; the resource adds its subscriptions to it and, on destroy, " +
					"removes only those. Default: a topic the resource creates and owns.",
				Validators: []validator.String{arnValidatorT{service: "sns"}},
			},
			"s3_bucket_name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Bucket the trail delivers to. Defaults to `aws-cloudtrail-logs-<account_id>-<trail_name>` " +
					"(lower-cased), created by the resource with public access blocked, default encryption (SSE-S3, or SSE-KMS with " +
					"`kms_key_arn`), versioning and a lifecycle (Standard-IA after 90 days, Glacier after 365, expiry after 7 years). " +
					"Its policy is the CloudTrail policy scoped with `aws:SourceArn` to this trail plus a deny of plain HTTP. Changing it " +
					"replaces the resource.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"use_existing_bucket": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "`s3_bucket_name` names an existing bucket: the resource only puts the CloudTrail bucket " +
					"policy on it (replacing the bucket's policy) and never deletes it. Defaults to `false`.",
			},
			"log_retention_days": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(baseline.DefaultLogRetentionDays),
				MarkdownDescription: fmt.Sprintf("Retention of the trail's log group, in days; one of the values CloudWatch Logs "+
					"accepts (%s). Defaults to `%d`. A retention shortened out of band shows as a change and apply restores it.",
					joinInts(baseline.ValidRetentionDays), baseline.DefaultLogRetentionDays),
				Validators: []validator.Int64{retentionValidator{"must be a retention CloudWatch Logs accepts"}},
			},
			"alerts": schema.MapAttribute{
				ElementType: types.BoolType, Optional: true,
				MarkdownDescription: "Switch alerts off (or on) by key; a key left out is on. Keys: " + strings.Join(keys, ", ") +
					". See the resource documentation for what each one means and what to do when it fires. Default: all on.",
				Validators: []validator.Map{mapvalidator.KeysAre(stringvalidator.OneOf(baseline.ActivityAlertKeys()...))},
			},
			"custom_alerts": schema.MapNestedAttribute{
				Optional: true,
				MarkdownDescription: "More alerts: key => `{ pattern, description }`. The key (1-64 lowercase letters, digits and " +
					"underscores, not a built-in key) names the filter and alarm `iambaseline-<trail_name>-<key>`; `pattern` is a " +
					"CloudWatch Logs filter pattern over CloudTrail records (at most 1,024 characters), e.g. " +
					"`{ ($.eventSource = \"kms.amazonaws.com\") && ($.eventName = \"ScheduleKeyDeletion\") }`. Default: none.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"pattern": schema.StringAttribute{Required: true, MarkdownDescription: "CloudWatch Logs filter pattern.",
						Validators: []validator.String{stringvalidator.LengthBetween(1, baseline.MaxFilterPatternLength)}},
					"description": schema.StringAttribute{Required: true, MarkdownDescription: "What the alert means; the alarm description (at most 1,024 characters).",
						Validators: []validator.String{stringvalidator.LengthBetween(1, 1024)}},
				}},
			},
			"kms_key_arn": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "KMS key that encrypts the trail's log files, the bucket (SSE-KMS, set when the bucket is created), the log group (set when it is created) and the topic. " +
					"Its key policy must allow CloudTrail, CloudWatch Logs (`logs.<region>.amazonaws.com`) and CloudWatch " +
					"(publishing to the encrypted topic). Default: AWS-managed encryption (SSE-S3, CloudWatch Logs and SNS defaults).",
				Validators: []validator.String{arnValidatorT{service: "kms"}},
			},
			"force_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "On destroy, empty the bucket the resource created (every object version) and delete it. " +
					"Defaults to `false`: a bucket that holds trail logs is kept (they are audit evidence) and a warning names it.",
			},
			"tags": schema.MapAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Tags of the trail, bucket, log group, alarms, topic and delivery role, merged with the " +
					"provider's `default_tags`. Default: none.",
				Validators: tagMapValidators(),
			},
			"tags_all": tagsAllAttribute(" The refresh reads the trail's tags (one request); a tag changed out of band on " +
				"another piece is repaired by the next apply that changes `tags_all`."),
			"trail_arn":      schema.StringAttribute{Computed: true, MarkdownDescription: "ARN of the trail.", PlanModifiers: keep},
			"log_group_name": schema.StringAttribute{Computed: true, MarkdownDescription: "`aws-cloudtrail-logs-<trail_name>`.", PlanModifiers: keep},
			"log_group_arn":  schema.StringAttribute{Computed: true, MarkdownDescription: "ARN of the log group.", PlanModifiers: keep},
			"topic_arn": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "ARN of the topic the alarms notify: `sns_topic_arn`, or the topic the resource created."},
			"cloudtrail_role_arn": schema.StringAttribute{Computed: true, PlanModifiers: keep,
				MarkdownDescription: "ARN of the role CloudTrail assumes to write to the log group (`/service-role/iambaseline-<trail_name>-cloudtrail`)."},
			"alarm_names": schema.MapAttribute{ElementType: types.StringType, Computed: true,
				MarkdownDescription: "Alarm (and metric filter and metric) name by alert key, custom alerts included. Metrics are in namespace `IAMBaseline`."},
			"out_of_band_changes": schema.ListAttribute{ElementType: types.StringType, Computed: true,
				MarkdownDescription: "What the last refresh found changed outside Terraform (e.g. `CloudTrail trail main is not logging`, " +
					"`alarm iambaseline-main-root_usage is missing`). Planned empty: a non-empty value shows in the plan and apply repairs every item."},
		},
	}
}

func (r *activityAlertsResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if m, ok := readModel[activityAlertsModel](ctx, req.Config, &resp.Diagnostics); ok {
		validateActivityAlerts(ctx, m, &resp.Diagnostics)
	}
}

func (r *activityAlertsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		if !req.State.Raw.IsNull() {
			var state activityAlertsModel
			resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
			if !state.UseExistingBucket.ValueBool() && !state.ForceDestroy.ValueBool() {
				resp.Diagnostics.AddWarning("The trail's bucket is kept if it holds logs",
					fmt.Sprintf("Destroying iambaseline_activity_alerts deletes S3 bucket %s only when it is empty; trail logs are audit evidence. Set force_destroy = true (and apply) to delete them too.", state.S3BucketName.ValueString()))
			}
		}
		return
	}
	plan, ok := plannedModel[activityAlertsModel](ctx, req.Plan, &resp.Diagnostics)
	if !ok {
		return
	}
	validateActivityAlerts(ctx, plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.OutOfBandChanges = stringList(nil)
	plan.TagsAll = plannedTagsAll(r.client, plan.Tags)
	if !plan.TrailName.IsUnknown() {
		trail := plan.TrailName.ValueString()
		plan.ID = types.StringValue(trail)
		plan.LogGroupName = types.StringValue(baseline.ActivityLogGroupName(trail))
		if !plan.Alerts.IsUnknown() && !plan.CustomAlerts.IsUnknown() {
			names := map[string]string{}
			for _, a := range plan.alertSpecs(ctx, &resp.Diagnostics) {
				names[a.Key] = a.Name
			}
			plan.AlarmNames = stringMap(ctx, names, &resp.Diagnostics)
		} else {
			plan.AlarmNames = types.MapUnknown(types.StringType)
		}
	}
	if !plan.SNSTopicARN.IsNull() && !plan.SNSTopicARN.IsUnknown() {
		plan.TopicARN = plan.SNSTopicARN
	} else if !req.State.Raw.IsNull() {
		var state activityAlertsModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if !state.SNSTopicARN.IsNull() {
			plan.TopicARN = types.StringUnknown() // back to the resource's own topic
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *activityAlertsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	withSpec(ctx, r.client, "activity_alerts.Create", req.Plan, &resp.Diagnostics, r.spec, func(plan activityAlertsModel, spec awsactivity.Spec) {
		if _, err := r.activity.FindTrail(ctx, spec.Trail); err == nil {
			resp.Diagnostics.AddAttributeError(path.Root("trail_name"), "CloudTrail trail already exists",
				fmt.Sprintf("A CloudTrail trail named %s already exists. Import it (terraform import iambaseline_activity_alerts.<name> %s) or choose another trail_name.", spec.Trail, spec.Trail))
			return
		} else if !awsactivity.IsNotFound(err) {
			resp.Diagnostics.AddError("Cannot create the activity alerts", err.Error())
			return
		}
		err := r.activity.Apply(ctx, spec, nil)
		// Record what exists even when a step failed, so that the next apply repairs instead of orphaning.
		r.readInto(ctx, &plan, spec, &resp.Diagnostics)
		if err != nil {
			resp.Diagnostics.AddError("Cannot create the activity alerts", fmt.Sprintf("creating iambaseline_activity_alerts (%s): %s", spec.Trail, err))
			if plan.TrailARN.IsNull() || plan.TrailARN.IsUnknown() {
				return
			}
		}
		plan.OutOfBandChanges = stringList(nil)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	})
}

func (r *activityAlertsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	withSpec(ctx, r.client, "activity_alerts.Read", req.State, &resp.Diagnostics, r.spec, func(state activityAlertsModel, spec awsactivity.Spec) {
		if gone := r.readInto(ctx, &state, spec, &resp.Diagnostics); gone {
			resp.State.RemoveResource(ctx)
			return
		}
		if resp.Diagnostics.HasError() {
			return
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	})
}

func (r *activityAlertsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer logCalls(ctx, r.client, "activity_alerts.Update")
	state, ok := readModel[activityAlertsModel](ctx, req.State, &resp.Diagnostics)
	if !ok {
		return
	}
	plan, spec, ok := configuredSpec(ctx, r.client, req.Plan, &resp.Diagnostics, r.spec)
	if !ok || !dropEndpoints(ctx, &spec, state, &resp.Diagnostics) {
		return
	}
	err := r.activity.Update(ctx, spec, awsactivity.Change{
		OldTopicARN: state.TopicARN.ValueString(), OwnOldTopic: state.SNSTopicARN.IsNull(),
		OldEndpoints: append(listOf(ctx, state.EmailAddresses, &resp.Diagnostics), listOf(ctx, state.HTTPSEndpoints, &resp.Diagnostics)...),
		OldTags:      stringMapFrom(ctx, state.TagsAll, &resp.Diagnostics), RetagNeeded: !plan.TagsAll.Equal(state.TagsAll),
	})
	var ue *awsactivity.UpdateError
	if errors.As(err, &ue) {
		// The alarms moved to the new topic before the old one was released: say which step failed.
		summary, verb := "Cannot update the activity alerts", "updating"
		switch ue.Step {
		case awsactivity.StepRead:
			verb = "reading"
		case awsactivity.StepReleaseTopic:
			summary = "Cannot release the previous alert topic"
		case awsactivity.StepTag:
			summary, verb = "Cannot tag the activity alerts", "tagging"
		}
		resp.Diagnostics.AddError(summary, fmt.Sprintf("%s iambaseline_activity_alerts (%s): %s", verb, spec.Trail, ue.Err))
		return
	}
	r.readInto(ctx, &plan, spec, &resp.Diagnostics)
	plan.OutOfBandChanges = stringList(nil)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *activityAlertsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	withSpec(ctx, r.client, "activity_alerts.Delete", req.State, &resp.Diagnostics, r.spec, func(_ activityAlertsModel, spec awsactivity.Spec) {
		kept, err := r.activity.Delete(ctx, spec)
		if err != nil {
			resp.Diagnostics.AddError("Cannot delete the activity alerts", fmt.Sprintf("deleting iambaseline_activity_alerts (%s): %s", spec.Trail, err))
			return
		}
		if kept != "" {
			resp.Diagnostics.AddWarning("Trail logs kept",
				fmt.Sprintf("S3 bucket %s holds trail logs and was kept (force_destroy = false). Delete it by hand when the logs are no longer needed.", kept))
		}
	})
}

func (r *activityAlertsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if err := baseline.ValidateTrailName(req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("The import ID is the trail name: %s.", err))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("trail_name"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("use_existing_bucket"), false)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("force_destroy"), false)...)
}
