package awssso

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
)

// listFailingAdmin fails the listing every read starts with, counting the reads.
type listFailingAdmin struct {
	ssoAdminAPI
	lists int
}

func (f *listFailingAdmin) ListPermissionSets(context.Context, *ssoadmin.ListPermissionSetsInput, ...func(*ssoadmin.Options)) (*ssoadmin.ListPermissionSetsOutput, error) {
	f.lists++
	return nil, errors.New("listing failed")
}

// UpdateBaseline reads the sets to remove first, and a failure there is a *RemoveSetsError that
// stops before the new spec is read or applied; with nothing to remove, the first read is the
// apply step's, and its failure is not one.
func TestUpdateBaseline_removeStepFirst(t *testing.T) {
	old := BaselineSpec{InstanceARN: "arn:aws:sso:::instance/ssoins-1", Sets: []SetSpec{{Key: "Developers", Name: "acme-Developers"}, {Key: "ReadOnly", Name: "acme-ReadOnly"}}}
	spec := old
	spec.Sets = old.Sets[:1]

	f := &listFailingAdmin{}
	cur, err := (&Client{admin: f, backoff: fastBackoff}).UpdateBaseline(context.Background(), old, spec)
	var removing *RemoveSetsError
	if !errors.As(err, &removing) || cur != nil || f.lists != 1 {
		t.Fatalf("dropping a set: state %v, error %v (%T), %d listings; want a *RemoveSetsError after one", cur, err, err, f.lists)
	}

	f = &listFailingAdmin{}
	cur, err = (&Client{admin: f, backoff: fastBackoff}).UpdateBaseline(context.Background(), spec, spec)
	if err == nil || errors.As(err, &removing) || cur != nil || f.lists != 1 {
		t.Fatalf("same sets: state %v, error %v (%T), %d listings; want the apply step's read error after one", cur, err, err, f.lists)
	}
}

func TestAppendMissing(t *testing.T) {
	got := appendMissing([]string{"2", "1"}, []string{"1", "3", "2", "4"})
	want := []string{"2", "1", "3", "4"}
	if len(got) != len(want) {
		t.Fatalf("appendMissing = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("appendMissing = %v, want %v (order kept: a first, then b's new ones)", got, want)
		}
	}
}
