package awssso

import (
	"context"
	"fmt"
	"net/url"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awscore"
)

// Kinds of NotFoundError this package returns.
const (
	KindPermissionSet = "IAM Identity Center permission set"
	KindGroup         = "identity store group"
	KindUser          = "identity store user"
)

// ReadBaseline reads what exists of spec's sets: one listing of the instance's permission sets,
// then, per set found, its policies, provisioned accounts and assignments in spec's accounts.
func (c *Client) ReadBaseline(ctx context.Context, spec BaselineSpec) (*BaselineState, error) {
	byName, err := c.permissionSetsByName(ctx, spec.InstanceARN)
	if err != nil {
		return nil, err
	}
	st := &BaselineState{Sets: map[string]*SetState{}, OtherSets: map[string]SetState{}}
	for name, ps := range byName {
		if !slices.ContainsFunc(spec.Sets, func(s SetSpec) bool { return s.Name == name }) {
			st.OtherSets[name] = ps
		}
	}
	for _, s := range spec.Sets {
		cur := &SetState{Name: s.Name}
		st.Sets[s.Name] = cur
		if cur.GroupID, err = c.FindGroupID(ctx, spec.IdentityStoreID, s.Name); err != nil && !IsNotFound(err) {
			return nil, err
		}
		ps, ok := byName[s.Name]
		if !ok {
			continue
		}
		groupID := cur.GroupID
		*cur = ps
		cur.GroupID = groupID
		if err := c.readSetDetails(ctx, spec, cur); err != nil {
			return nil, err
		}
		if spec.ReadTags {
			if cur.Tags, err = c.setTags(ctx, spec.InstanceARN, *cur); err != nil {
				return nil, err
			}
		}
	}
	return st, nil
}

// setTags lists the tags of a permission set.
func (c *Client) setTags(ctx context.Context, instanceARN string, s SetState) (map[string]string, error) {
	p := ssoadmin.NewListTagsForResourcePaginator(c.admin, &ssoadmin.ListTagsForResourceInput{InstanceArn: aws.String(instanceARN), ResourceArn: aws.String(s.ARN)})
	tags, err := awscore.Collect(ctx, p, func(page *ssoadmin.ListTagsForResourceOutput) []ssotypes.Tag { return page.Tags })
	if err != nil {
		return nil, fmt.Errorf("listing tags of IAM Identity Center permission set (%s): %w", s.Name, err)
	}
	out := map[string]string{}
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out, nil
}

// permissionSetsByName lists the instance's permission sets and describes each: AWS has no lookup
// by name.
func (c *Client) permissionSetsByName(ctx context.Context, instanceARN string) (map[string]SetState, error) {
	out := map[string]SetState{}
	p := ssoadmin.NewListPermissionSetsPaginator(c.admin, &ssoadmin.ListPermissionSetsInput{InstanceArn: aws.String(instanceARN)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing IAM Identity Center permission sets: %w", err)
		}
		for _, arn := range page.PermissionSets {
			d, err := c.admin.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: aws.String(instanceARN), PermissionSetArn: aws.String(arn)})
			if IsNotFound(err) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("describing IAM Identity Center permission set (%s): %w", arn, err)
			}
			ps := d.PermissionSet
			out[aws.ToString(ps.Name)] = SetState{
				Name: aws.ToString(ps.Name), ARN: arn, Description: aws.ToString(ps.Description),
				SessionDuration: aws.ToString(ps.SessionDuration), RelayState: aws.ToString(ps.RelayState),
			}
		}
	}
	return out, nil
}

func (c *Client) readSetDetails(ctx context.Context, spec BaselineSpec, cur *SetState) error {
	if err := c.readSetPolicies(ctx, spec.InstanceARN, cur); err != nil {
		return err
	}
	// Only the accounts running the latest copy count as provisioned: an account whose copy predates
	// a change (made out of band, or an apply interrupted before provisioning) is provisioned again.
	var err error
	if cur.ProvisionedAccounts, err = c.provisionedAccounts(ctx, spec.InstanceARN, *cur, ssotypes.ProvisioningStatusLatestPermissionSetProvisioned); err != nil {
		return err
	}
	for _, account := range spec.AccountIDs {
		as, err := c.setAssignments(ctx, spec.InstanceARN, *cur, account)
		if err != nil {
			return err
		}
		for _, a := range as {
			if a.PrincipalType == "GROUP" && a.PrincipalID == cur.GroupID && cur.GroupID != "" {
				cur.AssignedAccounts = append(cur.AssignedAccounts, account)
				continue
			}
			cur.OtherAssignments = append(cur.OtherAssignments, a)
		}
	}
	return nil
}

// readSetPolicies reads the inline policy and the managed policies of a set.
func (c *Client) readSetPolicies(ctx context.Context, instanceARN string, cur *SetState) error {
	in := aws.String(instanceARN)
	ps := aws.String(cur.ARN)
	inline, err := c.admin.GetInlinePolicyForPermissionSet(ctx, &ssoadmin.GetInlinePolicyForPermissionSetInput{InstanceArn: in, PermissionSetArn: ps})
	if err != nil {
		return fmt.Errorf("reading inline policy of IAM Identity Center permission set (%s): %w", cur.Name, err)
	}
	cur.InlinePolicy = decodePolicy(aws.ToString(inline.InlinePolicy))
	mp := ssoadmin.NewListManagedPoliciesInPermissionSetPaginator(c.admin, &ssoadmin.ListManagedPoliciesInPermissionSetInput{InstanceArn: in, PermissionSetArn: ps})
	if cur.ManagedPolicyARNs, err = awscore.Collect(ctx, mp, func(page *ssoadmin.ListManagedPoliciesInPermissionSetOutput) []string {
		return awscore.Each(page.AttachedManagedPolicies, func(m ssotypes.AttachedManagedPolicy) string { return aws.ToString(m.Arn) })
	}); err != nil {
		return fmt.Errorf("listing managed policies of IAM Identity Center permission set (%s): %w", cur.Name, err)
	}
	slices.Sort(cur.ManagedPolicyARNs)
	return nil
}

// decodePolicy undoes the URL encoding some endpoints give policy documents.
func decodePolicy(s string) string {
	if d, err := url.QueryUnescape(s); err == nil && len(d) > 0 && d[0] == '{' {
		return d
	}
	return s
}

// FindGroupID is the id of the identity-store group of display name name.
func (c *Client) FindGroupID(ctx context.Context, identityStoreID, name string) (string, error) {
	out, err := c.store.GetGroupId(ctx, &identitystore.GetGroupIdInput{
		IdentityStoreId: aws.String(identityStoreID), AlternateIdentifier: byUniqueAttribute("displayName", name),
	})
	return foundID(KindGroup, "identity store group", name, out, err, func(o *identitystore.GetGroupIdOutput) *string { return o.GroupId })
}

// foundID is the id (read from out by id) of the what of that name a look-up by a unique attribute
// found, or the look-up's error, a not-found of kind when it is one.
func foundID[O any](kind, what, name string, out *O, err error, id func(*O) *string) (string, error) {
	if err != nil {
		return "", notFound(kind, name, fmt.Errorf("finding %s (%s): %w", what, name, err))
	}
	return aws.ToString(id(out)), nil
}

// byUniqueAttribute names a user or group by a unique attribute (userName, displayName).
func byUniqueAttribute(path, value string) *idtypes.AlternateIdentifierMemberUniqueAttribute {
	return &idtypes.AlternateIdentifierMemberUniqueAttribute{Value: idtypes.UniqueAttribute{
		AttributePath: aws.String(path), AttributeValue: stringDocument(value),
	}}
}

func stringDocument(s string) document.Interface { return document.NewLazyDocument(s) }
