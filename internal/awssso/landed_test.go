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
	groupFound      = `{"GroupId":"g-1","IdentityStoreId":"d-1"}`
	userFound       = `{"UserId":"u-1","IdentityStoreId":"d-1"}`
)

func developersSpec() (SetSpec, BaselineSpec) {
	s := SetSpec{Key: "Developers", Name: "Developers", Description: "d", SessionDuration: "PT8H", InlinePolicy: inline}
	return s, BaselineSpec{InstanceARN: "arn:i", IdentityStoreID: "d-1", Sets: []SetSpec{s}, AccountIDs: []string{"111111111111"}}
}

// landedCase is one create that fails part way: the endpoint answers the operations in answers (and
// every other with a 500), the one named cancelOn cancels the apply and loses its answer; the error
// must contain every errHas and not errHasNot (errWant says what is wanted), the calls are calls.
type landedCase struct {
	name               string
	answers            map[string]*jsonReply
	cancelOn           string
	errHas             []string
	errHasNot, errWant string
	calls              []string
}

// run applies through a real SDK client against the case's endpoint and checks the error and calls.
func (c landedCase) run(t *testing.T, apply func(context.Context, *Client) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := &jsonEndpoint{answer: func(op string, _ int) *jsonReply {
		if op == c.cancelOn {
			cancel()
			return nil // the connection drops: the answer is lost
		}
		if r, ok := c.answers[op]; ok {
			return r
		}
		return &jsonReply{500, internalFailure}
	}}
	err := apply(ctx, sdkClient(t, e))
	ok := err != nil && (c.errHasNot == "" || !strings.Contains(err.Error(), c.errHasNot))
	for _, s := range c.errHas {
		ok = ok && strings.Contains(err.Error(), s)
	}
	if !ok {
		t.Fatalf("err = %v, want %s", err, c.errWant)
	}
	assertCalls(t, e.calls, c.calls...)
}

func TestFailedBaselineCreateRecordsWhatItMade(t *testing.T) {
	for _, c := range []struct {
		landedCase
		arn, stateWant string
	}{
		// The group and the permission set are made; the inline policy is refused: both are in the
		// state the apply hands back, so that the provider records them.
		{landedCase{name: "inline policy refused", answers: map[string]*jsonReply{
			"CreateGroup":                    {200, groupFound},
			"CreatePermissionSet":            {200, `{"PermissionSet":{"Name":"Developers","PermissionSetArn":"arn:ps"}}`},
			"PutInlinePolicyToPermissionSet": {400, validationError},
		}, errHas: []string{"putting inline policy"}, errWant: "the inline policy's",
			calls: []string{"CreateGroup", "CreatePermissionSet", "PutInlinePolicyToPermissionSet"}},
			"arn:ps", "want group g-1 and set arn:ps recorded"},
		// Every copy of CreatePermissionSet is answered 500 although the first went through: the set
		// is looked up by its name after the failure and recorded, and the error says so.
		{landedCase{name: "permission set create answered with errors is recorded when it went through", answers: map[string]*jsonReply{
			"CreateGroup":           {200, groupFound},
			"ListPermissionSets":    {200, setListed},
			"DescribePermissionSet": {200, setDescribed},
		}, errHas: []string{"made all the same", "arn:ps"}, errWant: "it to say the set was made and recorded",
			calls: []string{"CreateGroup", "CreatePermissionSet", "CreatePermissionSet", "CreatePermissionSet", "ListPermissionSets", "DescribePermissionSet"}},
			"arn:ps", "want group g-1 and set arn:ps recorded"},
		// Terraform cancels the apply while CreateGroup is in flight (the request went through, its
		// answer never comes): the group is looked up after the cancellation all the same and recorded.
		{landedCase{name: "group create cancelled in flight is recorded", cancelOn: "CreateGroup", answers: map[string]*jsonReply{
			"GetGroupId": {200, groupFound},
		}, errHas: []string{"made all the same"}, errWant: "it to say the group was made and recorded",
			calls: []string{"CreateGroup", "GetGroupId"}},
			"", "want group g-1 recorded and no set"},
		// A create AWS refused made nothing: the look-up finds nothing and nothing is recorded.
		{landedCase{name: "refused permission set create records nothing", answers: map[string]*jsonReply{
			"CreateGroup":         {200, groupFound},
			"CreatePermissionSet": {400, validationError},
			"ListPermissionSets":  {200, `{"PermissionSets":[]}`},
		}, errHasNot: "made all the same", errWant: "the refusal alone",
			calls: []string{"CreateGroup", "CreatePermissionSet", "ListPermissionSets"}},
			"", "want only group g-1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, spec := developersSpec()
			st := &BaselineState{}
			c.run(t, func(ctx context.Context, cl *Client) error { return cl.ApplyBaseline(ctx, spec, st) })
			if got := st.Sets["Developers"]; got == nil || got.GroupID != "g-1" || got.ARN != c.arn {
				t.Fatalf("state %+v, %s", got, c.stateWant)
			}
		})
	}
}

func TestFailedUserCreateRecordsTheUser(t *testing.T) {
	for _, c := range []landedCase{
		// Every copy of CreateUser is answered 500 although the first went through: the user is
		// looked up by name and recorded (the provider then records the resource), and no membership
		// is attempted.
		{name: "user create answered with errors is recorded when it went through", answers: map[string]*jsonReply{
			"GetGroupId": {200, groupFound},
			"GetUserId":  {200, userFound},
		}, errHas: []string{"made all the same"}, errWant: "it to say the user was made and recorded",
			calls: []string{"GetGroupId", "CreateUser", "CreateUser", "CreateUser", "GetUserId"}},
		// The user is made and a membership refused: the user and nothing else is in the state
		// handed back.
		{name: "membership refused", answers: map[string]*jsonReply{
			"GetGroupId":            {200, groupFound},
			"CreateUser":            {200, userFound},
			"CreateGroupMembership": {400, `{"__type":"ValidationException","Message":"invalid member"}`},
		}, errHas: []string{"adding identity store user (ada) to group"}, errWant: "the membership's",
			calls: []string{"GetGroupId", "CreateUser", "CreateGroupMembership"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			spec := UserSpec{IdentityStoreID: "d-1", Groups: []string{"acme-Developers"},
				UserRecord: UserRecord{UserName: "ada", FamilyName: "Lovelace", DisplayName: "Ada Lovelace", Email: "ada@example.com"}}
			cur := &UserState{}
			c.run(t, func(ctx context.Context, cl *Client) error { return cl.ApplyUser(ctx, spec, cur) })
			if cur.UserID != "u-1" || len(cur.Memberships) != 0 {
				t.Fatalf("state %+v, want user u-1 without memberships", cur)
			}
		})
	}
}
