package awssso

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// userStore records the identitystore requests of the user verbs. Groups are found by display
// name; an unscripted call panics through the embedded nil interface.
type userStore struct {
	identityStoreAPI
	calls      []string
	groups     map[string]string // display name => id
	updates    []*identitystore.UpdateUserInput
	conflicts  int // UpdateUser answers ConflictException this many times first
	membership int
}

func (f *userStore) GetGroupId(_ context.Context, in *identitystore.GetGroupIdInput, _ ...func(*identitystore.Options)) (*identitystore.GetGroupIdOutput, error) {
	var name string
	if u, ok := in.AlternateIdentifier.(*idtypes.AlternateIdentifierMemberUniqueAttribute); ok {
		_ = u.Value.AttributeValue.UnmarshalSmithyDocument(&name)
	}
	f.calls = append(f.calls, "GetGroupId "+name)
	id, ok := f.groups[name]
	if !ok {
		return nil, apiError("ResourceNotFoundException")
	}
	return &identitystore.GetGroupIdOutput{GroupId: aws.String(id)}, nil
}

func (f *userStore) UpdateUser(_ context.Context, in *identitystore.UpdateUserInput, _ ...func(*identitystore.Options)) (*identitystore.UpdateUserOutput, error) {
	f.calls = append(f.calls, "UpdateUser")
	if f.conflicts > 0 {
		f.conflicts--
		return nil, apiError("ConflictException")
	}
	f.updates = append(f.updates, in)
	return &identitystore.UpdateUserOutput{}, nil
}

func (f *userStore) CreateGroupMembership(_ context.Context, in *identitystore.CreateGroupMembershipInput, _ ...func(*identitystore.Options)) (*identitystore.CreateGroupMembershipOutput, error) {
	f.calls = append(f.calls, "CreateGroupMembership "+aws.ToString(in.GroupId))
	f.membership++
	return &identitystore.CreateGroupMembershipOutput{MembershipId: aws.String("m-new")}, nil
}

func (f *userStore) DeleteGroupMembership(_ context.Context, in *identitystore.DeleteGroupMembershipInput, _ ...func(*identitystore.Options)) (*identitystore.DeleteGroupMembershipOutput, error) {
	f.calls = append(f.calls, "DeleteGroupMembership "+aws.ToString(in.MembershipId))
	return &identitystore.DeleteGroupMembershipOutput{}, nil
}

func (f *userStore) DeleteUser(_ context.Context, in *identitystore.DeleteUserInput, _ ...func(*identitystore.Options)) (*identitystore.DeleteUserOutput, error) {
	f.calls = append(f.calls, "DeleteUser "+aws.ToString(in.UserId))
	return &identitystore.DeleteUserOutput{}, nil
}

// userAdmin answers the sso-admin calls of the user verbs.
type userAdmin struct {
	ssoAdminAPI
	calls []string
	// groupAssignments are the accounts where a group id is assigned a set.
	groupAssignments map[string][]string
}

func (f *userAdmin) ListAccountAssignmentsForPrincipal(_ context.Context, in *ssoadmin.ListAccountAssignmentsForPrincipalInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.ListAccountAssignmentsForPrincipalOutput, error) {
	f.calls = append(f.calls, "ListAccountAssignmentsForPrincipal "+string(in.PrincipalType)+" "+aws.ToString(in.PrincipalId))
	out := &ssoadmin.ListAccountAssignmentsForPrincipalOutput{}
	for _, a := range f.groupAssignments[aws.ToString(in.PrincipalId)] {
		out.AccountAssignments = append(out.AccountAssignments, ssotypes.AccountAssignmentForPrincipal{
			AccountId: aws.String(a), PermissionSetArn: aws.String("arn:ps"), PrincipalId: in.PrincipalId, PrincipalType: in.PrincipalType,
		})
	}
	return out, nil
}

func (f *userAdmin) DeleteAccountAssignment(_ context.Context, in *ssoadmin.DeleteAccountAssignmentInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.DeleteAccountAssignmentOutput, error) {
	f.calls = append(f.calls, "DeleteAccountAssignment "+string(in.PrincipalType)+" "+aws.ToString(in.PrincipalId)+" "+aws.ToString(in.TargetId)+" "+aws.ToString(in.PermissionSetArn))
	return &ssoadmin.DeleteAccountAssignmentOutput{AccountAssignmentDeletionStatus: &ssotypes.AccountAssignmentOperationStatus{Status: ssotypes.StatusValuesInProgress, RequestId: aws.String("del-1")}}, nil
}

func (f *userAdmin) DescribeAccountAssignmentDeletionStatus(_ context.Context, in *ssoadmin.DescribeAccountAssignmentDeletionStatusInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.DescribeAccountAssignmentDeletionStatusOutput, error) {
	f.calls = append(f.calls, "DescribeAccountAssignmentDeletionStatus "+aws.ToString(in.AccountAssignmentDeletionRequestId))
	return &ssoadmin.DescribeAccountAssignmentDeletionStatusOutput{AccountAssignmentDeletionStatus: &ssotypes.AccountAssignmentOperationStatus{Status: ssotypes.StatusValuesSucceeded}}, nil
}

func userClient(store *userStore, admin *userAdmin) *Client {
	return &Client{admin: admin, store: store, backoff: fastBackoff}
}

func ada() UserSpec {
	return UserSpec{
		InstanceARN: "arn:i", IdentityStoreID: "d-1", Groups: []string{"Developers", "ReadOnly"},
		UserRecord: UserRecord{UserName: "ada", GivenName: "Ada", FamilyName: "Lovelace", DisplayName: "Ada Lovelace", Email: "ada@example.com", JobTitle: "Engineer"},
	}
}

func existingAda() *UserState {
	s := ada()
	return &UserState{
		UserID: "u-1", UserRecord: s.UserRecord,
		Memberships: []Membership{{MembershipID: "m-dev", GroupID: "g-dev", GroupName: "Developers"}, {MembershipID: "m-ro", GroupID: "g-ro", GroupName: "ReadOnly"}},
	}
}

func assertCalls(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("calls\n  %v\nwant\n  %v", got, want)
	}
}

// Moto answers 500 to UpdateUser: this proves an edit of the record sends one UpdateUser with an
// operation per changed attribute (the email as the one primary work email, a removed job title
// as an operation without value), retried through a conflict, and touches no membership.
func TestUserRecordUpdateSendsOneOperationPerChange(t *testing.T) {
	store := &userStore{conflicts: 1}
	admin := &userAdmin{}
	spec := ada()
	spec.FamilyName, spec.DisplayName, spec.Email, spec.JobTitle = "King", "Ada King", "ada.king@example.com", ""
	cur := existingAda()
	if err := userClient(store, admin).ApplyUser(context.Background(), spec, cur); err != nil {
		t.Fatal(err)
	}
	assertCalls(t, store.calls, "UpdateUser", "UpdateUser")
	ops := map[string]string{}
	for _, op := range store.updates[0].Operations {
		v := "<none>"
		if op.AttributeValue != nil {
			b, err := op.AttributeValue.MarshalSmithyDocument()
			if err != nil {
				t.Fatal(err)
			}
			v = string(b)
		}
		ops[aws.ToString(op.AttributePath)] = v
	}
	var emails []map[string]any
	if err := json.Unmarshal([]byte(ops["emails"]), &emails); err != nil || len(emails) != 1 || emails[0]["value"] != "ada.king@example.com" || emails[0]["primary"] != true || emails[0]["type"] != "work" {
		t.Fatalf("emails operation %s (%v)", ops["emails"], err)
	}
	delete(ops, "emails")
	want := map[string]string{"name.familyName": `"King"`, "displayName": `"Ada King"`, "title": "<none>"}
	if len(ops) != len(want) {
		t.Fatalf("operations %v, want %v and emails", ops, want)
	}
	for k, v := range want {
		if ops[k] != v {
			t.Errorf("operation %s = %s, want %s", k, ops[k], v)
		}
	}
	if aws.ToString(store.updates[0].UserId) != "u-1" || cur.Email != "ada.king@example.com" || cur.JobTitle != "" {
		t.Fatalf("update of %s, state %+v", aws.ToString(store.updates[0].UserId), cur)
	}
	// The memberships were as wanted: only the portal count is read.
	assertCalls(t, admin.calls, "ListAccountAssignmentsForPrincipal GROUP g-dev", "ListAccountAssignmentsForPrincipal GROUP g-ro")
}

func TestUserMembershipsMadeExact(t *testing.T) {
	store := &userStore{groups: map[string]string{"SysAdmins": "g-sys"}}
	admin := &userAdmin{groupAssignments: map[string][]string{"g-sys": {"111111111111"}}}
	spec := ada()
	spec.Groups = []string{"Developers", "SysAdmins"}
	cur := existingAda()
	if err := userClient(store, admin).ApplyUser(context.Background(), spec, cur); err != nil {
		t.Fatal(err)
	}
	assertCalls(t, store.calls, "GetGroupId SysAdmins", "CreateGroupMembership g-sys", "DeleteGroupMembership m-ro")
	if got := strings.Join(cur.GroupNames(), ","); got != "Developers,SysAdmins" {
		t.Fatalf("groups %s", got)
	}
	if cur.PortalGroups != 1 {
		t.Fatalf("portal groups %d, want 1 (only SysAdmins is assigned)", cur.PortalGroups)
	}
}

func TestUserMissingGroupFailsBeforeAnyWrite(t *testing.T) {
	store := &userStore{groups: map[string]string{}}
	spec := ada()
	spec.Groups = []string{"Developers", "Develpers"}
	err := userClient(store, &userAdmin{}).ApplyUser(context.Background(), spec, existingAda())
	if err == nil || !strings.Contains(err.Error(), "identity store group (Develpers) does not exist") {
		t.Fatalf("error %v", err)
	}
	assertCalls(t, store.calls, "GetGroupId Develpers")
}

// Suspension removes every membership and every direct assignment (waiting for each deletion) and
// keeps the user: no DeleteUser, no UpdateUser.
func TestSuspensionRemovesAllAccessAndKeepsThePerson(t *testing.T) {
	store := &userStore{}
	admin := &userAdmin{}
	spec := ada()
	spec.Suspended = true
	cur := existingAda()
	cur.DirectAssignments = []UserAssignment{{AccountID: "222222222222", PermissionSetARN: "arn:ps-admin"}}
	if err := userClient(store, admin).ApplyUser(context.Background(), spec, cur); err != nil {
		t.Fatal(err)
	}
	assertCalls(t, store.calls, "DeleteGroupMembership m-dev", "DeleteGroupMembership m-ro")
	assertCalls(t, admin.calls, "DeleteAccountAssignment USER u-1 222222222222 arn:ps-admin", "DescribeAccountAssignmentDeletionStatus del-1")
	if len(cur.Memberships) != 0 || len(cur.DirectAssignments) != 0 || cur.UserID != "u-1" {
		t.Fatalf("state after suspension %+v", cur)
	}
}

// Offboarding removes access first, then the person.
func TestOffboardingRemovesAccessThenTheUser(t *testing.T) {
	store := &userStore{}
	admin := &userAdmin{}
	cur := existingAda()
	cur.DirectAssignments = []UserAssignment{{AccountID: "111111111111", PermissionSetARN: "arn:ps"}}
	if err := userClient(store, admin).DeleteUser(context.Background(), ada(), cur); err != nil {
		t.Fatal(err)
	}
	assertCalls(t, store.calls, "DeleteGroupMembership m-dev", "DeleteGroupMembership m-ro", "DeleteUser u-1")
	assertCalls(t, admin.calls, "DeleteAccountAssignment USER u-1 111111111111 arn:ps", "DescribeAccountAssignmentDeletionStatus del-1")
}

// The answers of CreateUser and CreateGroupMembership are lost and the SDK's copies get a
// ConflictException: the user and the membership are confirmed by a read and adopted, not created
// twice and not retried until the window closes.
func TestUserCreatesResentAfterALostAnswerAreConfirmedByARead(t *testing.T) {
	e := &jsonEndpoint{answer: func(op string, n int) *jsonReply {
		if r, ok := lostThenConflict(op, n, "CreateUser", "CreateGroupMembership"); ok {
			return r
		}
		switch op {
		case "GetGroupId":
			return &jsonReply{200, `{"GroupId":"g-1","IdentityStoreId":"d-1"}`}
		case "GetUserId":
			return &jsonReply{200, `{"UserId":"u-1","IdentityStoreId":"d-1"}`}
		case "ListGroupMembershipsForMember":
			return &jsonReply{200, `{"GroupMemberships":[{"GroupId":"g-1","MembershipId":"m-1","IdentityStoreId":"d-1","MemberId":{"UserId":"u-1"}}]}`}
		case "DescribeGroup":
			return &jsonReply{200, `{"GroupId":"g-1","DisplayName":"acme-Developers","IdentityStoreId":"d-1"}`}
		}
		return &jsonReply{500, `{"__type":"InternalFailure"}`}
	}}
	spec := UserSpec{IdentityStoreID: "d-1", Groups: []string{"acme-Developers"},
		UserRecord: UserRecord{UserName: "ada", FamilyName: "Lovelace", DisplayName: "Ada Lovelace", Email: "ada@example.com"}}
	cur := &UserState{}
	if err := sdkClient(t, e).ApplyUser(context.Background(), spec, cur); err != nil {
		t.Fatal(err)
	}
	assertCalls(t, e.calls, "GetGroupId", "CreateUser", "CreateUser", "GetUserId",
		"CreateGroupMembership", "CreateGroupMembership", "ListGroupMembershipsForMember", "DescribeGroup")
	if cur.UserID != "u-1" || len(cur.Memberships) != 1 || cur.Memberships[0].MembershipID != "m-1" {
		t.Fatalf("state %+v", cur)
	}
}
