package awssso

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// readAdmin answers ReadBaseline's calls for one set, "Developers", provisioned to two accounts of
// which latest lists the ones running the latest copy; it records the filters sent.
type readAdmin struct {
	fakeAdmin
	latest  []string
	filters []ssotypes.ProvisioningStatus
}

func (f *readAdmin) ListPermissionSets(context.Context, *ssoadmin.ListPermissionSetsInput, ...func(*ssoadmin.Options)) (*ssoadmin.ListPermissionSetsOutput, error) {
	return &ssoadmin.ListPermissionSetsOutput{PermissionSets: []string{"arn:ps"}}, nil
}

func (f *readAdmin) DescribePermissionSet(context.Context, *ssoadmin.DescribePermissionSetInput, ...func(*ssoadmin.Options)) (*ssoadmin.DescribePermissionSetOutput, error) {
	return &ssoadmin.DescribePermissionSetOutput{PermissionSet: &ssotypes.PermissionSet{Name: aws.String("Developers"), Description: aws.String("d"), SessionDuration: aws.String("PT8H")}}, nil
}

func (f *readAdmin) GetInlinePolicyForPermissionSet(context.Context, *ssoadmin.GetInlinePolicyForPermissionSetInput, ...func(*ssoadmin.Options)) (*ssoadmin.GetInlinePolicyForPermissionSetOutput, error) {
	return &ssoadmin.GetInlinePolicyForPermissionSetOutput{InlinePolicy: aws.String(inline)}, nil
}

func (f *readAdmin) ListManagedPoliciesInPermissionSet(context.Context, *ssoadmin.ListManagedPoliciesInPermissionSetInput, ...func(*ssoadmin.Options)) (*ssoadmin.ListManagedPoliciesInPermissionSetOutput, error) {
	return &ssoadmin.ListManagedPoliciesInPermissionSetOutput{}, nil
}

func (f *readAdmin) ListAccountsForProvisionedPermissionSet(_ context.Context, in *ssoadmin.ListAccountsForProvisionedPermissionSetInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.ListAccountsForProvisionedPermissionSetOutput, error) {
	f.filters = append(f.filters, in.ProvisioningStatus)
	return &ssoadmin.ListAccountsForProvisionedPermissionSetOutput{AccountIds: f.latest}, nil
}

func (f *readAdmin) ListAccountAssignments(_ context.Context, in *ssoadmin.ListAccountAssignmentsInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.ListAccountAssignmentsOutput, error) {
	return &ssoadmin.ListAccountAssignmentsOutput{AccountAssignments: []ssotypes.AccountAssignment{{PrincipalType: ssotypes.PrincipalTypeGroup, PrincipalId: aws.String("g-1")}}}, nil
}

type groupStore struct{ identityStoreAPI }

func (groupStore) GetGroupId(context.Context, *identitystore.GetGroupIdInput, ...func(*identitystore.Options)) (*identitystore.GetGroupIdOutput, error) {
	return &identitystore.GetGroupIdOutput{GroupId: aws.String("g-1")}, nil
}

// A set changed but not provisioned again in one account (AWS lists that account as
// LATEST_PERMISSION_SET_NOT_PROVISIONED, not under the LATEST_PERMISSION_SET_PROVISIONED filter the
// read sends) is provisioned again there, and only there; no assignment is touched.
func TestStaleCopyIsProvisionedAgain(t *testing.T) {
	f := &readAdmin{fakeAdmin: fakeAdmin{provisionStatus: ssotypes.StatusValuesSucceeded}, latest: []string{"111111111111"}}
	c := &Client{admin: f, store: groupStore{}, backoff: fastBackoff}
	s := SetSpec{Key: "Developers", Name: "Developers", Description: "d", SessionDuration: "PT8H", InlinePolicy: inline}
	spec := BaselineSpec{InstanceARN: "arn:i", IdentityStoreID: "d-1", Sets: []SetSpec{s}, AccountIDs: []string{"111111111111", "222222222222"}}
	cur, err := c.ReadBaseline(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.filters) != 1 || f.filters[0] != ssotypes.ProvisioningStatusLatestPermissionSetProvisioned {
		t.Fatalf("provisioned accounts listed with filters %v, want only %s", f.filters, ssotypes.ProvisioningStatusLatestPermissionSetProvisioned)
	}
	if err := c.ApplyBaseline(context.Background(), spec, cur); err != nil {
		t.Fatal(err)
	}
	assertCalls(t, f.calls, "ProvisionPermissionSet 222222222222")
}

func (f *readAdmin) ListTagsForResource(context.Context, *ssoadmin.ListTagsForResourceInput, ...func(*ssoadmin.Options)) (*ssoadmin.ListTagsForResourceOutput, error) {
	f.calls = append(f.calls, "ListTagsForResource")
	return &ssoadmin.ListTagsForResourceOutput{Tags: []ssotypes.Tag{{Key: aws.String("team"), Value: aws.String("data")}}}, nil
}

// Tags are read only when the baseline has or had tags (moto answers 500 to ListTagsForResource,
// and a baseline without tags spends no request on them); the permission sets the spec does not
// name are reported for an import to look through.
func TestTagsReadOnlyWhenAsked(t *testing.T) {
	for _, readTags := range []bool{false, true} {
		f := &readAdmin{latest: []string{"111111111111"}}
		c := &Client{admin: f, store: groupStore{}, backoff: fastBackoff}
		spec := BaselineSpec{InstanceARN: "arn:i", IdentityStoreID: "d-1", Sets: []SetSpec{{Key: "Developers", Name: "Developers"}}, AccountIDs: []string{"111111111111"}, ReadTags: readTags}
		cur, err := c.ReadBaseline(context.Background(), spec)
		if err != nil {
			t.Fatal(err)
		}
		got := cur.Sets["Developers"].Tags
		if readTags {
			assertCalls(t, f.calls, "ListTagsForResource")
			if got["team"] != "data" {
				t.Fatalf("tags %v", got)
			}
		} else if len(f.calls) != 0 || got != nil {
			t.Fatalf("no tags asked, yet calls %v and tags %v", f.calls, got)
		}
	}
	f := &readAdmin{}
	c := &Client{admin: f, store: groupStore{}, backoff: fastBackoff}
	cur, err := c.ReadBaseline(context.Background(), BaselineSpec{InstanceARN: "arn:i", IdentityStoreID: "d-1", Sets: []SetSpec{{Key: "ReadOnly", Name: "ReadOnly"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cur.OtherSets["Developers"]; !ok || cur.Sets["ReadOnly"].ARN != "" {
		t.Fatalf("other sets %v, ReadOnly %+v", cur.OtherSets, cur.Sets["ReadOnly"])
	}
}
