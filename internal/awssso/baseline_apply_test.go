package awssso

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/iamfake"
)

// fakeAdmin records the sso-admin requests and answers from scripted queues; an unscripted call
// panics through the embedded nil interface, so a test sees every request it did not expect.
type fakeAdmin struct {
	ssoAdminAPI
	calls            []string
	provisionErrs    []error
	provisionStatus  ssotypes.StatusValues
	describeStatuses []ssotypes.PermissionSetProvisioningStatus
	updates          []*ssoadmin.UpdatePermissionSetInput
}

func (f *fakeAdmin) ProvisionPermissionSet(_ context.Context, in *ssoadmin.ProvisionPermissionSetInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.ProvisionPermissionSetOutput, error) {
	f.calls = append(f.calls, "ProvisionPermissionSet "+aws.ToString(in.TargetId))
	if len(f.provisionErrs) > 0 {
		err := f.provisionErrs[0]
		f.provisionErrs = f.provisionErrs[1:]
		return nil, err
	}
	return &ssoadmin.ProvisionPermissionSetOutput{PermissionSetProvisioningStatus: &ssotypes.PermissionSetProvisioningStatus{
		Status: f.provisionStatus, RequestId: aws.String("req-1"),
	}}, nil
}

func (f *fakeAdmin) DescribePermissionSetProvisioningStatus(_ context.Context, in *ssoadmin.DescribePermissionSetProvisioningStatusInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.DescribePermissionSetProvisioningStatusOutput, error) {
	f.calls = append(f.calls, "DescribePermissionSetProvisioningStatus "+aws.ToString(in.ProvisionPermissionSetRequestId))
	s := f.describeStatuses[0]
	f.describeStatuses = f.describeStatuses[1:]
	return &ssoadmin.DescribePermissionSetProvisioningStatusOutput{PermissionSetProvisioningStatus: &s}, nil
}

func (f *fakeAdmin) UpdatePermissionSet(_ context.Context, in *ssoadmin.UpdatePermissionSetInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.UpdatePermissionSetOutput, error) {
	f.calls = append(f.calls, "UpdatePermissionSet")
	f.updates = append(f.updates, in)
	return &ssoadmin.UpdatePermissionSetOutput{}, nil
}

func (f *fakeAdmin) CreateAccountAssignment(_ context.Context, in *ssoadmin.CreateAccountAssignmentInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.CreateAccountAssignmentOutput, error) {
	f.calls = append(f.calls, "CreateAccountAssignment "+aws.ToString(in.TargetId))
	return &ssoadmin.CreateAccountAssignmentOutput{AccountAssignmentCreationStatus: &ssotypes.AccountAssignmentOperationStatus{Status: ssotypes.StatusValuesSucceeded}}, nil
}

type fakeStore struct{ identityStoreAPI }

func (fakeStore) CreateGroup(context.Context, *identitystore.CreateGroupInput, ...func(*identitystore.Options)) (*identitystore.CreateGroupOutput, error) {
	return &identitystore.CreateGroupOutput{GroupId: aws.String("g-1")}, nil
}

var fastBackoff = backoff{start: time.Millisecond, max: 2 * time.Millisecond, retryWindow: time.Second, pollWindow: time.Second}

func testClient(f *fakeAdmin) *Client {
	return &Client{admin: f, store: fakeStore{}, backoff: fastBackoff}
}

func apiError(code string) error { return &smithy.GenericAPIError{Code: code, Message: code} }

const inline = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`

// existingSet is a set that exists as spec wants it, so only provisioning and assignment remain.
func existingSet(s SetSpec) *SetState {
	return &SetState{Name: s.Name, ARN: "arn:ps", GroupID: "g-1", Description: s.Description, SessionDuration: s.SessionDuration, InlinePolicy: s.InlinePolicy}
}

func TestProvisioningPolledUntilFailedShowsReasonAndHint(t *testing.T) {
	f := &fakeAdmin{
		provisionStatus: ssotypes.StatusValuesInProgress,
		describeStatuses: []ssotypes.PermissionSetProvisioningStatus{
			{Status: ssotypes.StatusValuesInProgress},
			{Status: ssotypes.StatusValuesFailed, FailureReason: aws.String("Received a 404 status error: Not supported policy arn:aws:iam::111111111111:policy/app-read")},
		},
	}
	s := SetSpec{Key: "Developers", Name: "Developers", Description: "d", SessionDuration: "PT8H", InlinePolicy: inline}
	st := &BaselineState{Sets: map[string]*SetState{"Developers": existingSet(s)}}
	err := testClient(f).ApplyBaseline(context.Background(), BaselineSpec{InstanceARN: "arn:i", Sets: []SetSpec{s}, AccountIDs: []string{"111111111111"}}, st)
	var failed *OperationFailedError
	if !errors.As(err, &failed) {
		t.Fatalf("error %v, want an OperationFailedError", err)
	}
	for _, want := range []string{"FAILED", "Not supported policy arn:aws:iam::111111111111:policy/app-read", "customer managed policy reference must exist in every account", "111111111111"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	want := []string{"ProvisionPermissionSet 111111111111", "DescribePermissionSetProvisioningStatus req-1", "DescribePermissionSetProvisioningStatus req-1"}
	if strings.Join(f.calls, "|") != strings.Join(want, "|") {
		t.Fatalf("calls %v, want %v", f.calls, want)
	}
	if len(st.Sets["Developers"].AssignedAccounts) != 0 {
		t.Fatal("assigned after a failed provisioning")
	}
}

func TestConflictAndThrottlingRetriedThenApplied(t *testing.T) {
	f := &fakeAdmin{
		provisionErrs:   []error{apiError("ConflictException"), apiError("ThrottlingException")},
		provisionStatus: ssotypes.StatusValuesSucceeded,
	}
	s := SetSpec{Key: "ReadOnly", Name: "ReadOnly", Description: "d", SessionDuration: "PT8H", InlinePolicy: inline}
	st := &BaselineState{Sets: map[string]*SetState{"ReadOnly": existingSet(s)}}
	if err := testClient(f).ApplyBaseline(context.Background(), BaselineSpec{InstanceARN: "arn:i", Sets: []SetSpec{s}, AccountIDs: []string{"222222222222"}}, st); err != nil {
		t.Fatal(err)
	}
	want := []string{"ProvisionPermissionSet 222222222222", "ProvisionPermissionSet 222222222222", "ProvisionPermissionSet 222222222222", "CreateAccountAssignment 222222222222"}
	if strings.Join(f.calls, "|") != strings.Join(want, "|") {
		t.Fatalf("calls %v, want %v", f.calls, want)
	}
}

func TestConflictOutlastingTheWindowFails(t *testing.T) {
	errs := make([]error, 100)
	for i := range errs {
		errs[i] = apiError("ConflictException")
	}
	f := &fakeAdmin{provisionErrs: errs}
	c := testClient(f)
	c.backoff.retryWindow = 20 * time.Millisecond
	s := SetSpec{Key: "ReadOnly", Name: "ReadOnly", Description: "d", SessionDuration: "PT8H", InlinePolicy: inline}
	st := &BaselineState{Sets: map[string]*SetState{"ReadOnly": existingSet(s)}}
	err := c.ApplyBaseline(context.Background(), BaselineSpec{InstanceARN: "arn:i", Sets: []SetSpec{s}, AccountIDs: []string{"222222222222"}}, st)
	if err == nil || !strings.Contains(err.Error(), "ConflictException") || !strings.Contains(err.Error(), "provisioning IAM Identity Center permission set (ReadOnly) to account 222222222222") {
		t.Fatalf("error %v", err)
	}
	if len(f.calls) < 2 || len(f.calls) > 20 {
		t.Fatalf("%d attempts: the retry is not bounded as documented", len(f.calls))
	}
}

// Moto answers 500 to UpdatePermissionSet; this proves the update sends the session duration and
// relay state, re-provisions every account and leaves the assignments alone.
func TestSessionDurationUpdateReprovisionsWithoutTouchingAssignments(t *testing.T) {
	f := &fakeAdmin{provisionStatus: ssotypes.StatusValuesSucceeded}
	s := SetSpec{Key: "SysAdmins", Name: "SysAdmins", Description: "d", SessionDuration: "PT2H", RelayState: "https://console.aws.amazon.com/ec2/", InlinePolicy: inline}
	cur := existingSet(s)
	cur.SessionDuration = "PT4H"
	cur.RelayState = ""
	cur.ProvisionedAccounts = []string{"111111111111", "222222222222"}
	cur.AssignedAccounts = []string{"111111111111", "222222222222"}
	st := &BaselineState{Sets: map[string]*SetState{"SysAdmins": cur}}
	if err := testClient(f).ApplyBaseline(context.Background(), BaselineSpec{InstanceARN: "arn:i", Sets: []SetSpec{s}, AccountIDs: []string{"111111111111", "222222222222"}}, st); err != nil {
		t.Fatal(err)
	}
	want := []string{"UpdatePermissionSet", "ProvisionPermissionSet 111111111111", "ProvisionPermissionSet 222222222222"}
	if strings.Join(f.calls, "|") != strings.Join(want, "|") {
		t.Fatalf("calls %v, want %v", f.calls, want)
	}
	u := f.updates[0]
	if aws.ToString(u.SessionDuration) != "PT2H" || aws.ToString(u.RelayState) != "https://console.aws.amazon.com/ec2/" {
		t.Fatalf("update sent %q %q", aws.ToString(u.SessionDuration), aws.ToString(u.RelayState))
	}
}

func TestAddingAnAccountOnlyTouchesThatAccount(t *testing.T) {
	f := &fakeAdmin{provisionStatus: ssotypes.StatusValuesSucceeded}
	s := SetSpec{Key: "Developers", Name: "Developers", Description: "d", SessionDuration: "PT8H", InlinePolicy: inline}
	cur := existingSet(s)
	cur.ProvisionedAccounts = []string{"111111111111"}
	cur.AssignedAccounts = []string{"111111111111"}
	st := &BaselineState{Sets: map[string]*SetState{"Developers": cur}}
	if err := testClient(f).ApplyBaseline(context.Background(), BaselineSpec{InstanceARN: "arn:i", Sets: []SetSpec{s}, AccountIDs: []string{"111111111111", "333333333333"}}, st); err != nil {
		t.Fatal(err)
	}
	want := []string{"ProvisionPermissionSet 333333333333", "CreateAccountAssignment 333333333333"}
	if strings.Join(f.calls, "|") != strings.Join(want, "|") {
		t.Fatalf("calls %v, want %v", f.calls, want)
	}
}

// jsonEndpoint is a recording sso-admin endpoint (the awsJson1_1 protocol the real SDK client
// speaks): answer gives each operation's reply by its target and the number of earlier calls of it;
// a nil reply resets the connection, as when the answer of an executed request is lost.
type jsonEndpoint struct {
	mu     sync.Mutex
	calls  []string
	answer func(op string, n int) *jsonReply
}

type jsonReply struct {
	status int
	body   string
}

func (e *jsonEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	op := r.Header.Get("X-Amz-Target")
	op = op[strings.LastIndex(op, ".")+1:]
	e.mu.Lock()
	n := 0
	for _, c := range e.calls {
		if c == op {
			n++
		}
	}
	e.calls = append(e.calls, op)
	e.mu.Unlock()
	reply := e.answer(op, n)
	if reply == nil {
		iamfake.ResetConnection(w)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(reply.status)
	_, _ = io.WriteString(w, reply.body)
}

// sdkClient is a Client whose sso-admin client is the real SDK one (its retryer included) against e.
func sdkClient(t *testing.T, e *jsonEndpoint) *Client {
	t.Helper()
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	admin := ssoadmin.New(ssoadmin.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})
	store := identitystore.New(identitystore.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})
	return &Client{admin: admin, store: store, backoff: fastBackoff}
}

// lostThenConflict answers the first call of op by resetting the connection and the second, the
// SDK's copy, with a ConflictException: what AWS does when the answer of a create that went through
// is lost. ok reports whether op is one of those creates.
func lostThenConflict(op string, n int, creates ...string) (*jsonReply, bool) {
	if !slices.Contains(creates, op) {
		return nil, false
	}
	if n == 0 {
		return nil, true
	}
	return &jsonReply{409, `{"__type":"ConflictException","Message":"` + op + `: the resource already exists"}`}, true
}

// The answer of a CreateAccountAssignment that AWS executed is lost; the SDK sends the request
// again and AWS answers that copy with a ConflictException. A read confirms the group is assigned:
// the apply succeeds with one assignment, without a duplicate, a wait on a request id it never got,
// or a retry of the conflict until the window closes.
func TestAssignmentResentAfterALostAnswerIsConfirmedByARead(t *testing.T) {
	e := &jsonEndpoint{answer: func(op string, n int) *jsonReply {
		switch {
		case op == "CreateAccountAssignment" && n == 0:
			return nil
		case op == "CreateAccountAssignment":
			return &jsonReply{409, `{"__type":"ConflictException","Message":"Request AccountAssignment already exists"}`}
		case op == "ListAccountAssignments":
			return &jsonReply{200, `{"AccountAssignments":[{"AccountId":"111111111111","PermissionSetArn":"arn:ps","PrincipalType":"GROUP","PrincipalId":"g-1"}]}`}
		}
		return &jsonReply{500, `{"__type":"InternalFailure"}`}
	}}
	s := SetSpec{Key: "Developers", Name: "Developers", Description: "d", SessionDuration: "PT8H", InlinePolicy: inline}
	cur := existingSet(s)
	cur.ProvisionedAccounts = []string{"111111111111"}
	st := &BaselineState{Sets: map[string]*SetState{"Developers": cur}}
	if err := sdkClient(t, e).ApplyBaseline(context.Background(), BaselineSpec{InstanceARN: "arn:i", Sets: []SetSpec{s}, AccountIDs: []string{"111111111111"}}, st); err != nil {
		t.Fatal(err)
	}
	assertCalls(t, e.calls, "CreateAccountAssignment", "CreateAccountAssignment", "ListAccountAssignments")
	if got := cur.AssignedAccounts; len(got) != 1 || got[0] != "111111111111" {
		t.Fatalf("assigned accounts %v, want [111111111111]", got)
	}
}

// A ConflictException while the assignment is not there is another operation on the account: it
// is retried, and the assignment then made and waited for.
func TestAssignmentConflictWithoutTheAssignmentIsRetried(t *testing.T) {
	e := &jsonEndpoint{answer: func(op string, n int) *jsonReply {
		switch {
		case op == "CreateAccountAssignment" && n == 0:
			return &jsonReply{409, `{"__type":"ConflictException","Message":"An operation is in progress on this account"}`}
		case op == "CreateAccountAssignment":
			return &jsonReply{200, `{"AccountAssignmentCreationStatus":{"Status":"IN_PROGRESS","RequestId":"r-2"}}`}
		case op == "ListAccountAssignments":
			return &jsonReply{200, `{"AccountAssignments":[]}`}
		case op == "DescribeAccountAssignmentCreationStatus":
			return &jsonReply{200, `{"AccountAssignmentCreationStatus":{"Status":"SUCCEEDED","RequestId":"r-2"}}`}
		}
		return &jsonReply{500, `{"__type":"InternalFailure"}`}
	}}
	s := SetSpec{Key: "ReadOnly", Name: "ReadOnly", Description: "d", SessionDuration: "PT8H", InlinePolicy: inline}
	cur := existingSet(s)
	cur.ProvisionedAccounts = []string{"222222222222"}
	st := &BaselineState{Sets: map[string]*SetState{"ReadOnly": cur}}
	if err := sdkClient(t, e).ApplyBaseline(context.Background(), BaselineSpec{InstanceARN: "arn:i", Sets: []SetSpec{s}, AccountIDs: []string{"222222222222"}}, st); err != nil {
		t.Fatal(err)
	}
	assertCalls(t, e.calls, "CreateAccountAssignment", "ListAccountAssignments", "CreateAccountAssignment", "DescribeAccountAssignmentCreationStatus")
	if len(cur.AssignedAccounts) != 1 {
		t.Fatalf("assigned accounts %v", cur.AssignedAccounts)
	}
}

// An endpoint that stored a re-sent assignment twice (the emulator does) lists it twice: the read
// counts the group once, so the plan shows no drift and the audit no extra principal.
func TestDuplicateAssignmentListedOnce(t *testing.T) {
	e := &jsonEndpoint{answer: func(op string, _ int) *jsonReply {
		if op == "ListAccountAssignments" {
			return &jsonReply{200, `{"AccountAssignments":[` +
				`{"AccountId":"111111111111","PermissionSetArn":"arn:ps","PrincipalType":"GROUP","PrincipalId":"g-1"},` +
				`{"AccountId":"111111111111","PermissionSetArn":"arn:ps","PrincipalType":"GROUP","PrincipalId":"g-1"},` +
				`{"AccountId":"111111111111","PermissionSetArn":"arn:ps","PrincipalType":"USER","PrincipalId":"u-1"}]}`}
		}
		return &jsonReply{500, `{"__type":"InternalFailure"}`}
	}}
	as, err := sdkClient(t, e).setAssignments(context.Background(), "arn:i", SetState{Name: "Developers", ARN: "arn:ps"}, "111111111111")
	if err != nil {
		t.Fatal(err)
	}
	want := []Assignment{{"111111111111", "GROUP", "g-1"}, {"111111111111", "USER", "u-1"}}
	if !slices.Equal(as, want) {
		t.Fatalf("assignments %v, want %v", as, want)
	}
}

func (f *fakeAdmin) TagResource(_ context.Context, in *ssoadmin.TagResourceInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.TagResourceOutput, error) {
	var kv []string
	for _, t := range in.Tags {
		kv = append(kv, aws.ToString(t.Key)+"="+aws.ToString(t.Value))
	}
	f.calls = append(f.calls, "TagResource "+strings.Join(kv, ","))
	return &ssoadmin.TagResourceOutput{}, nil
}

func (f *fakeAdmin) UntagResource(_ context.Context, in *ssoadmin.UntagResourceInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.UntagResourceOutput, error) {
	f.calls = append(f.calls, "UntagResource "+strings.Join(in.TagKeys, ","))
	return &ssoadmin.UntagResourceOutput{}, nil
}

func (f *fakeAdmin) CreatePermissionSet(_ context.Context, in *ssoadmin.CreatePermissionSetInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.CreatePermissionSetOutput, error) {
	var kv []string
	for _, t := range in.Tags {
		kv = append(kv, aws.ToString(t.Key)+"="+aws.ToString(t.Value))
	}
	f.calls = append(f.calls, "CreatePermissionSet "+aws.ToString(in.Name)+" "+aws.ToString(in.Description)+" tags:"+strings.Join(kv, ","))
	return &ssoadmin.CreatePermissionSetOutput{PermissionSet: &ssotypes.PermissionSet{PermissionSetArn: aws.String("arn:ps-new")}}, nil
}

func (f *fakeAdmin) PutInlinePolicyToPermissionSet(_ context.Context, in *ssoadmin.PutInlinePolicyToPermissionSetInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.PutInlinePolicyToPermissionSetOutput, error) {
	f.calls = append(f.calls, "PutInlinePolicyToPermissionSet "+aws.ToString(in.PermissionSetArn))
	return &ssoadmin.PutInlinePolicyToPermissionSetOutput{}, nil
}

func (f *fakeAdmin) AttachManagedPolicyToPermissionSet(_ context.Context, in *ssoadmin.AttachManagedPolicyToPermissionSetInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.AttachManagedPolicyToPermissionSetOutput, error) {
	f.calls = append(f.calls, "AttachManagedPolicyToPermissionSet "+aws.ToString(in.ManagedPolicyArn))
	return &ssoadmin.AttachManagedPolicyToPermissionSetOutput{}, nil
}

// Moto answers 500 to TagResource and UntagResource: this proves that tags drifted out of band
// are moved back to the spec's (a stale key removed, a changed and a new one set, in two requests)
// and that, a tag not being part of the provisioned copy, nothing is provisioned again.
func TestTagDriftRepairedWithoutProvisioning(t *testing.T) {
	f := &fakeAdmin{provisionStatus: ssotypes.StatusValuesSucceeded}
	s := SetSpec{Key: "Developers", Name: "Developers", Description: "d", SessionDuration: "PT8H", InlinePolicy: inline, Tags: map[string]string{"team": "platform", "cost": "eng"}}
	cur := existingSet(s)
	cur.ProvisionedAccounts = []string{"111111111111"}
	cur.AssignedAccounts = []string{"111111111111"}
	cur.Tags = map[string]string{"team": "data", "stale": "x"}
	st := &BaselineState{Sets: map[string]*SetState{"Developers": cur}}
	if err := testClient(f).ApplyBaseline(context.Background(), BaselineSpec{InstanceARN: "arn:i", Sets: []SetSpec{s}, AccountIDs: []string{"111111111111"}, ReadTags: true}, st); err != nil {
		t.Fatal(err)
	}
	assertCalls(t, f.calls, "UntagResource stale", "TagResource cost=eng,team=platform")
	if cur.Tags["team"] != "platform" || len(cur.Tags) != 2 {
		t.Fatalf("tags recorded %v", cur.Tags)
	}
}

// A new additional group is a group, a set created with the baseline's tags and its marking
// description, its own inline and AWS managed policies, provisioning and the group's assignment.
func TestAdditionalSetCreatedWithTagsAndPolicies(t *testing.T) {
	f := &fakeAdmin{provisionStatus: ssotypes.StatusValuesSucceeded}
	s := SetSpec{Key: "Billing", Name: "acme-Billing", Description: "iambaseline additional group Billing (managed by Terraform)", SessionDuration: "PT8H",
		InlinePolicy: inline, ManagedPolicyARNs: []string{"arn:aws:iam::aws:policy/job-function/Billing"}, Tags: map[string]string{"team": "finance"}, Additional: true}
	st := &BaselineState{}
	if err := testClient(f).ApplyBaseline(context.Background(), BaselineSpec{InstanceARN: "arn:i", Sets: []SetSpec{s}, AccountIDs: []string{"111111111111"}, ReadTags: true}, st); err != nil {
		t.Fatal(err)
	}
	assertCalls(t, f.calls,
		"CreatePermissionSet acme-Billing iambaseline additional group Billing (managed by Terraform) tags:team=finance",
		"PutInlinePolicyToPermissionSet arn:ps-new",
		"AttachManagedPolicyToPermissionSet arn:aws:iam::aws:policy/job-function/Billing",
		"ProvisionPermissionSet 111111111111", "CreateAccountAssignment 111111111111")
}

// Every create of a new job function loses its answer and gets a ConflictException for the SDK's
// copy: the group, the permission set, the managed policy attachment and the assignment are each
// confirmed by one read and adopted; nothing is created twice and the apply succeeds.
func TestEveryCreateResentAfterALostAnswerIsConfirmedByARead(t *testing.T) {
	const support = "arn:aws:iam::aws:policy/AWSSupportAccess"
	e := &jsonEndpoint{answer: func(op string, n int) *jsonReply {
		if r, ok := lostThenConflict(op, n, "CreateGroup", "CreatePermissionSet", "AttachManagedPolicyToPermissionSet", "CreateAccountAssignment"); ok {
			return r
		}
		switch op {
		case "GetGroupId":
			return &jsonReply{200, `{"GroupId":"g-1","IdentityStoreId":"d-1"}`}
		case "ListPermissionSets":
			return &jsonReply{200, `{"PermissionSets":["arn:ps"]}`}
		case "DescribePermissionSet":
			return &jsonReply{200, `{"PermissionSet":{"Name":"Developers","PermissionSetArn":"arn:ps","SessionDuration":"PT8H"}}`}
		case "PutInlinePolicyToPermissionSet":
			return &jsonReply{200, `{}`}
		case "GetInlinePolicyForPermissionSet":
			return &jsonReply{200, `{"InlinePolicy":""}`}
		case "ListManagedPoliciesInPermissionSet":
			return &jsonReply{200, `{"AttachedManagedPolicies":[{"Arn":"` + support + `","Name":"AWSSupportAccess"}]}`}
		case "ProvisionPermissionSet":
			return &jsonReply{200, `{"PermissionSetProvisioningStatus":{"Status":"SUCCEEDED","RequestId":"p-1"}}`}
		case "ListAccountAssignments":
			return &jsonReply{200, `{"AccountAssignments":[{"AccountId":"111111111111","PermissionSetArn":"arn:ps","PrincipalType":"GROUP","PrincipalId":"g-1"}]}`}
		}
		return &jsonReply{500, `{"__type":"InternalFailure"}`}
	}}
	s := SetSpec{Key: "Developers", Name: "Developers", Description: "d", SessionDuration: "PT8H", InlinePolicy: inline, ManagedPolicyARNs: []string{support}}
	st := &BaselineState{}
	if err := sdkClient(t, e).ApplyBaseline(context.Background(), BaselineSpec{InstanceARN: "arn:i", IdentityStoreID: "d-1", Sets: []SetSpec{s}, AccountIDs: []string{"111111111111"}}, st); err != nil {
		t.Fatal(err)
	}
	assertCalls(t, e.calls,
		"CreateGroup", "CreateGroup", "GetGroupId",
		"CreatePermissionSet", "CreatePermissionSet", "ListPermissionSets", "DescribePermissionSet",
		"PutInlinePolicyToPermissionSet",
		"AttachManagedPolicyToPermissionSet", "AttachManagedPolicyToPermissionSet", "GetInlinePolicyForPermissionSet", "ListManagedPoliciesInPermissionSet",
		"ProvisionPermissionSet",
		"CreateAccountAssignment", "CreateAccountAssignment", "ListAccountAssignments")
	got := st.Sets["Developers"]
	if got.GroupID != "g-1" || got.ARN != "arn:ps" || !slices.Equal(got.ManagedPolicyARNs, []string{support}) || !slices.Equal(got.AssignedAccounts, []string{"111111111111"}) {
		t.Fatalf("state %+v", got)
	}
}

// An assignment AWS reports FAILED after IN_PROGRESS is an error with AWS's reason and a hint; the
// account is not recorded as assigned, so the next plan shows it missing.
func TestAssignmentPolledUntilFailedShowsReasonAndHint(t *testing.T) {
	e := &jsonEndpoint{answer: func(op string, n int) *jsonReply {
		switch {
		case op == "CreateAccountAssignment":
			return &jsonReply{200, `{"AccountAssignmentCreationStatus":{"Status":"IN_PROGRESS","RequestId":"a-1"}}`}
		case op == "DescribeAccountAssignmentCreationStatus" && n == 0:
			return &jsonReply{200, `{"AccountAssignmentCreationStatus":{"Status":"IN_PROGRESS","RequestId":"a-1"}}`}
		case op == "DescribeAccountAssignmentCreationStatus":
			return &jsonReply{200, `{"AccountAssignmentCreationStatus":{"Status":"FAILED","RequestId":"a-1","FailureReason":"Could not create role AWSReservedSSO_Developers_0123456789abcdef: an SCP denies iam:CreateRole"}}`}
		}
		return &jsonReply{500, `{"__type":"InternalFailure"}`}
	}}
	s := SetSpec{Key: "Developers", Name: "Developers", Description: "d", SessionDuration: "PT8H", InlinePolicy: inline}
	cur := existingSet(s)
	cur.ProvisionedAccounts = []string{"111111111111"}
	st := &BaselineState{Sets: map[string]*SetState{"Developers": cur}}
	err := sdkClient(t, e).ApplyBaseline(context.Background(), BaselineSpec{InstanceARN: "arn:i", Sets: []SetSpec{s}, AccountIDs: []string{"111111111111"}}, st)
	var failed *OperationFailedError
	if !errors.As(err, &failed) {
		t.Fatalf("error %v, want an OperationFailedError", err)
	}
	for _, want := range []string{"assigning IAM Identity Center permission set (Developers)", "account 111111111111", "FAILED", "an SCP denies iam:CreateRole", "AWSReservedSSO_* roles"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	assertCalls(t, e.calls, "CreateAccountAssignment", "DescribeAccountAssignmentCreationStatus", "DescribeAccountAssignmentCreationStatus")
	if len(cur.AssignedAccounts) != 0 {
		t.Fatalf("assigned accounts %v after a failure", cur.AssignedAccounts)
	}
}

// serialAdmin answers provisioning and assignment requests IN_PROGRESS and their describes
// SUCCEEDED after a pause, and counts the requests that reached an account while another operation
// on that account was still in progress: what AWS answers with a ConflictException.
type serialAdmin struct {
	ssoAdminAPI
	mu       sync.Mutex
	active   map[string]bool // account => an operation in progress
	overlaps int
	ops      int
}

func (f *serialAdmin) start(account string) *string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.active[account] {
		f.overlaps++
	}
	f.active[account] = true
	f.ops++
	return aws.String(account)
}

func (f *serialAdmin) finish(account string) {
	time.Sleep(5 * time.Millisecond)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.active[account] = false
}

func (f *serialAdmin) ProvisionPermissionSet(_ context.Context, in *ssoadmin.ProvisionPermissionSetInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.ProvisionPermissionSetOutput, error) {
	return &ssoadmin.ProvisionPermissionSetOutput{PermissionSetProvisioningStatus: &ssotypes.PermissionSetProvisioningStatus{
		Status: ssotypes.StatusValuesInProgress, RequestId: f.start(aws.ToString(in.TargetId)),
	}}, nil
}

func (f *serialAdmin) DescribePermissionSetProvisioningStatus(_ context.Context, in *ssoadmin.DescribePermissionSetProvisioningStatusInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.DescribePermissionSetProvisioningStatusOutput, error) {
	f.finish(aws.ToString(in.ProvisionPermissionSetRequestId))
	return &ssoadmin.DescribePermissionSetProvisioningStatusOutput{PermissionSetProvisioningStatus: &ssotypes.PermissionSetProvisioningStatus{Status: ssotypes.StatusValuesSucceeded}}, nil
}

func (f *serialAdmin) CreateAccountAssignment(_ context.Context, in *ssoadmin.CreateAccountAssignmentInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.CreateAccountAssignmentOutput, error) {
	return &ssoadmin.CreateAccountAssignmentOutput{AccountAssignmentCreationStatus: &ssotypes.AccountAssignmentOperationStatus{
		Status: ssotypes.StatusValuesInProgress, RequestId: f.start(aws.ToString(in.TargetId)),
	}}, nil
}

func (f *serialAdmin) DescribeAccountAssignmentCreationStatus(_ context.Context, in *ssoadmin.DescribeAccountAssignmentCreationStatusInput, _ ...func(*ssoadmin.Options)) (*ssoadmin.DescribeAccountAssignmentCreationStatusOutput, error) {
	f.finish(aws.ToString(in.AccountAssignmentCreationRequestId))
	return &ssoadmin.DescribeAccountAssignmentCreationStatusOutput{AccountAssignmentCreationStatus: &ssotypes.AccountAssignmentOperationStatus{Status: ssotypes.StatusValuesSucceeded}}, nil
}

// Four baselines applied at once by one provider configuration (as Terraform runs resources in
// parallel) provision and assign in the same two accounts: no request reaches an account while an
// operation there is in progress, and every operation runs.
func TestWritesToOneAccountAreSerializedAcrossResources(t *testing.T) {
	f := &serialAdmin{active: map[string]bool{}}
	c := &Client{admin: f, store: fakeStore{}, backoff: fastBackoff, accounts: &accountLocks{}}
	accounts := []string{"111111111111", "222222222222"}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := SetSpec{Key: "ReadOnly", Name: fmt.Sprintf("b%d-ReadOnly", i), Description: "d", SessionDuration: "PT8H", InlinePolicy: inline}
			st := &BaselineState{Sets: map[string]*SetState{s.Name: existingSet(s)}}
			errs <- c.ApplyBaseline(context.Background(), BaselineSpec{InstanceARN: "arn:i", Sets: []SetSpec{s}, AccountIDs: accounts}, st)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if f.ops != 4*2*2 {
		t.Fatalf("%d operations, want 16 (4 baselines x 2 accounts x provisioning and assignment)", f.ops)
	}
	if f.overlaps != 0 {
		t.Fatalf("%d requests reached an account with an operation in progress", f.overlaps)
	}
}
