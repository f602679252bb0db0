package awsactivity

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// An update whose first read fails names the read step and sends no write.
func TestUpdate_failedReadNamesItsStepAndWritesNothing(t *testing.T) {
	c, f := newFakeClient(t)
	spec := testSpec(t)
	f.on("CloudTrail_20131101.GetTrail", jsonReply(400, `{"__type":"AccessDeniedException","message":"no"}`))
	f.on("CloudTrail_20131101.DescribeTrails", jsonReply(400, `{"__type":"AccessDeniedException","message":"no"}`))
	err := c.Update(context.Background(), spec, Change{OldTopicARN: "arn:aws:sns:us-east-1:123456789012:old", OwnOldTopic: true, RetagNeeded: true})
	var ue *UpdateError
	if !errors.As(err, &ue) || ue.Step != StepRead {
		t.Fatalf("got %v, want an UpdateError of the read step", err)
	}
	if !strings.Contains(ue.Err.Error(), "AccessDenied") || len(f.requests) == 0 {
		t.Fatalf("the read step's error is %v after %d requests, want the trail read's AccessDenied", ue.Err, len(f.requests))
	}
	for _, r := range f.requests {
		for _, w := range []string{"Create", "Put", "Delete", "Tag", "Untag", "Update", "Subscribe", "Unsubscribe", "AddTags", "RemoveTags"} {
			if strings.Contains(r.Op, w) {
				t.Errorf("a failed read was followed by the write %s", r.Op)
			}
		}
	}
}
