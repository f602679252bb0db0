package awssso

import (
	"context"
	"strings"
	"testing"
)

// No unowned leftovers (issue 25 item 2), by request capture with the real SDK clients: a create
// that fails after some writes records what it made (the provider saves that state with the error,
// so Terraform taints the resource and destroy removes it), including what a failed or cancelled
// create request made all the same; a create AWS refused records nothing.

const (
	internalFailure = `{"__type":"InternalFailure","Message":"We encountered an internal error"}`
	validationError = `{"__type":"ValidationException","Message":"The policy is not valid"}`
	setListed       = `{"PermissionSets":["arn:ps"]}`
	setDescribed    = `{"PermissionSet":{"Name":"Developers","PermissionSetArn":"arn:ps","SessionDuration":"PT8H"}}`
)

func developersSpec() (SetSpec, BaselineSpec) {
	s := SetSpec{Key: "Developers", Name: "Developers", Description: "d", SessionDuration: "PT8H", InlinePolicy: inline}
	return s, BaselineSpec{InstanceARN: "arn:i", IdentityStoreID: "d-1", Sets: []SetSpec{s}, AccountIDs: []string{"111111111111"}}
}

// The group and the permission set are made; the inline policy is refused: both are in the state
// the apply hands back, so that the provider records them.
func TestFailedBaselineCreateRecordsWhatItMade(t *testing.T) {
	e := &jsonEndpoint{answer: func(op string, _ int) *jsonReply {
		switch op {
		case "CreateGroup":
			return &jsonReply{200, `{"GroupId":"g-1","IdentityStoreId":"d-1"}`}
		case "CreatePermissionSet":
			return &jsonReply{200, `{"PermissionSet":{"Name":"Developers","PermissionSetArn":"arn:ps"}}`}
		case "PutInlinePolicyToPermissionSet":
			return &jsonReply{400, validationError}
		}
		return &jsonReply{500, internalFailure}
	}}
	_, spec := developersSpec()
	st := &BaselineState{}
	err := sdkClient(t, e).ApplyBaseline(context.Background(), spec, st)
	if err == nil || !strings.Contains(err.Error(), "putting inline policy") {
		t.Fatalf("err = %v, want the inline policy's", err)
	}
	assertCalls(t, e.calls, "CreateGroup", "CreatePermissionSet", "PutInlinePolicyToPermissionSet")
	if got := st.Sets["Developers"]; got == nil || got.GroupID != "g-1" || got.ARN != "arn:ps" {
		t.Fatalf("state %+v, want group g-1 and set arn:ps recorded", got)
	}
}

// Every copy of CreatePermissionSet is answered 500 although the first went through: the set is
// looked up by its name after the failure and recorded, and the error says so.
func TestPermissionSetCreateAnsweredWithErrorsIsRecordedWhenItWentThrough(t *testing.T) {
	e := &jsonEndpoint{answer: func(op string, _ int) *jsonReply {
		switch op {
		case "CreateGroup":
			return &jsonReply{200, `{"GroupId":"g-1","IdentityStoreId":"d-1"}`}
		case "ListPermissionSets":
			return &jsonReply{200, setListed}
		case "DescribePermissionSet":
			return &jsonReply{200, setDescribed}
		}
		return &jsonReply{500, internalFailure}
	}}
	_, spec := developersSpec()
	st := &BaselineState{}
	err := sdkClient(t, e).ApplyBaseline(context.Background(), spec, st)
	if err == nil || !strings.Contains(err.Error(), "made all the same") || !strings.Contains(err.Error(), "arn:ps") {
		t.Fatalf("err = %v, want it to say the set was made and recorded", err)
	}
	assertCalls(t, e.calls, "CreateGroup", "CreatePermissionSet", "CreatePermissionSet", "CreatePermissionSet", "ListPermissionSets", "DescribePermissionSet")
	if got := st.Sets["Developers"]; got.GroupID != "g-1" || got.ARN != "arn:ps" {
		t.Fatalf("state %+v, want group g-1 and set arn:ps recorded", got)
	}
}

// Terraform cancels the apply while CreateGroup is in flight (the request went through, its answer
// never comes): the group is looked up after the cancellation all the same and recorded.
func TestGroupCreateCancelledInFlightIsRecorded(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := &jsonEndpoint{answer: func(op string, _ int) *jsonReply {
		switch op {
		case "CreateGroup":
			cancel()
			return nil // the connection drops: the answer is lost
		case "GetGroupId":
			return &jsonReply{200, `{"GroupId":"g-1","IdentityStoreId":"d-1"}`}
		}
		return &jsonReply{500, internalFailure}
	}}
	_, spec := developersSpec()
	st := &BaselineState{}
	err := sdkClient(t, e).ApplyBaseline(ctx, spec, st)
	if err == nil || !strings.Contains(err.Error(), "made all the same") {
		t.Fatalf("err = %v, want it to say the group was made and recorded", err)
	}
	assertCalls(t, e.calls, "CreateGroup", "GetGroupId")
	if got := st.Sets["Developers"]; got.GroupID != "g-1" || got.ARN != "" {
		t.Fatalf("state %+v, want group g-1 recorded and no set", got)
	}
}

// A create AWS refused made nothing: the look-up finds nothing and nothing is recorded.
func TestRefusedPermissionSetCreateRecordsNothing(t *testing.T) {
	e := &jsonEndpoint{answer: func(op string, _ int) *jsonReply {
		switch op {
		case "CreateGroup":
			return &jsonReply{200, `{"GroupId":"g-1","IdentityStoreId":"d-1"}`}
		case "CreatePermissionSet":
			return &jsonReply{400, validationError}
		case "ListPermissionSets":
			return &jsonReply{200, `{"PermissionSets":[]}`}
		}
		return &jsonReply{500, internalFailure}
	}}
	_, spec := developersSpec()
	st := &BaselineState{}
	err := sdkClient(t, e).ApplyBaseline(context.Background(), spec, st)
	if err == nil || strings.Contains(err.Error(), "made all the same") {
		t.Fatalf("err = %v, want the refusal alone", err)
	}
	assertCalls(t, e.calls, "CreateGroup", "CreatePermissionSet", "ListPermissionSets")
	if got := st.Sets["Developers"]; got.GroupID != "g-1" || got.ARN != "" {
		t.Fatalf("state %+v, want only group g-1", got)
	}
}

// Every copy of CreateUser is answered 500 although the first went through: the user is looked up
// by name and recorded (the provider then records the resource), and no membership is attempted.
func TestUserCreateAnsweredWithErrorsIsRecordedWhenItWentThrough(t *testing.T) {
	e := &jsonEndpoint{answer: func(op string, _ int) *jsonReply {
		switch op {
		case "GetGroupId":
			return &jsonReply{200, `{"GroupId":"g-1","IdentityStoreId":"d-1"}`}
		case "GetUserId":
			return &jsonReply{200, `{"UserId":"u-1","IdentityStoreId":"d-1"}`}
		}
		return &jsonReply{500, internalFailure}
	}}
	spec := UserSpec{IdentityStoreID: "d-1", Groups: []string{"acme-Developers"},
		UserRecord: UserRecord{UserName: "ada", FamilyName: "Lovelace", DisplayName: "Ada Lovelace", Email: "ada@example.com"}}
	cur := &UserState{}
	err := sdkClient(t, e).ApplyUser(context.Background(), spec, cur)
	if err == nil || !strings.Contains(err.Error(), "made all the same") {
		t.Fatalf("err = %v, want it to say the user was made and recorded", err)
	}
	assertCalls(t, e.calls, "GetGroupId", "CreateUser", "CreateUser", "CreateUser", "GetUserId")
	if cur.UserID != "u-1" || len(cur.Memberships) != 0 {
		t.Fatalf("state %+v, want user u-1 without memberships", cur)
	}
}

// The user is made and a membership refused: the user and nothing else is in the state handed back.
func TestFailedUserCreateRecordsTheUser(t *testing.T) {
	e := &jsonEndpoint{answer: func(op string, _ int) *jsonReply {
		switch op {
		case "GetGroupId":
			return &jsonReply{200, `{"GroupId":"g-1","IdentityStoreId":"d-1"}`}
		case "CreateUser":
			return &jsonReply{200, `{"UserId":"u-1","IdentityStoreId":"d-1"}`}
		case "CreateGroupMembership":
			return &jsonReply{400, `{"__type":"ValidationException","Message":"invalid member"}`}
		}
		return &jsonReply{500, internalFailure}
	}}
	spec := UserSpec{IdentityStoreID: "d-1", Groups: []string{"acme-Developers"},
		UserRecord: UserRecord{UserName: "ada", FamilyName: "Lovelace", DisplayName: "Ada Lovelace", Email: "ada@example.com"}}
	cur := &UserState{}
	err := sdkClient(t, e).ApplyUser(context.Background(), spec, cur)
	if err == nil || !strings.Contains(err.Error(), "adding identity store user (ada) to group") {
		t.Fatalf("err = %v, want the membership's", err)
	}
	assertCalls(t, e.calls, "GetGroupId", "CreateUser", "CreateGroupMembership")
	if cur.UserID != "u-1" || len(cur.Memberships) != 0 {
		t.Fatalf("state %+v, want user u-1 without memberships", cur)
	}
}
