package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

func tagMap(kv map[string]string) types.Map {
	elems := map[string]attr.Value{}
	for k, v := range kv {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

func TestPlannedTagsAll(t *testing.T) {
	c := &awsiam.Client{DefaultTags: map[string]string{"Env": "prod", "Team": "default", "FullName": "x"}}
	got := plannedTagsAll(c, tagMap(map[string]string{"Team": "core"}), baseline.RecordTagKeys...)
	want := tagMap(map[string]string{"Env": "prod", "Team": "core"})
	if !got.Equal(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if got := plannedTagsAll(c, types.MapNull(types.StringType)); len(got.Elements()) != 3 || got.IsNull() {
		t.Fatalf("no own tags: got %v", got)
	}
	if got := plannedTagsAll(&awsiam.Client{}, types.MapNull(types.StringType)); got.IsNull() || len(got.Elements()) != 0 {
		t.Fatalf("no tags at all: want an empty map, got %v", got)
	}
	if got := plannedTagsAll(c, types.MapUnknown(types.StringType)); !got.IsUnknown() {
		t.Fatalf("unknown tags: got %v", got)
	}
	unknownElem := types.MapValueMust(types.StringType, map[string]attr.Value{"A": types.StringUnknown()})
	if got := plannedTagsAll(c, unknownElem); !got.IsUnknown() {
		t.Fatalf("unknown tag value: got %v", got)
	}
	if got := plannedTagsAll(&awsiam.Client{DefaultTagsUnknown: true}, tagMap(nil)); !got.IsUnknown() {
		t.Fatalf("unknown default_tags: got %v", got)
	}
	if got := plannedTagsAll(nil, tagMap(nil)); !got.IsUnknown() {
		t.Fatalf("unconfigured provider: got %v", got)
	}
}

func TestOwnTagsFromRemote(t *testing.T) {
	defaults := map[string]string{"ManagedBy": "terraform", "Env": "prod"}
	remote := map[string]string{"ManagedBy": "terraform", "Team": "core", "Env": "other", "Removed": "default"}
	null := types.MapNull(types.StringType)

	// Import (no tags_all in the prior state): every tag that is not a default of the same value.
	got := ownTagsFromRemote(remote, defaults, null, null)
	if want := tagMap(map[string]string{"Team": "core", "Env": "other", "Removed": "default"}); !got.Equal(want) {
		t.Fatalf("import: got %v, want %v", got, want)
	}
	// Import, a configured key equal to its default stays own.
	got = ownTagsFromRemote(remote, defaults, tagMap(map[string]string{"ManagedBy": "terraform"}), null)
	if _, ok := got.Elements()["ManagedBy"]; !ok {
		t.Fatalf("import with configured default key: got %v", got)
	}
	if got := ownTagsFromRemote(map[string]string{"ManagedBy": "terraform"}, defaults, null, null); !got.IsNull() {
		t.Fatalf("only default tags and no configured tags: want null, got %v", got)
	}

	// Refresh: the prior own keys with AWS's values; defaults, a removed default and tags added out
	// of band stay out (they show in tags_all); an own tag deleted out of band is dropped.
	prior := tagMap(map[string]string{"Team": "platform", "Gone": "x"})
	got = ownTagsFromRemote(remote, defaults, prior, tagMap(map[string]string{"Team": "platform"}))
	if want := tagMap(map[string]string{"Team": "core"}); !got.Equal(want) {
		t.Fatalf("refresh: got %v, want %v", got, want)
	}
	if got := ownTagsFromRemote(remote, defaults, null, tagMap(nil)); !got.IsNull() {
		t.Fatalf("refresh without own tags: want null, got %v", got)
	}
	if got := ownTagsFromRemote(nil, defaults, tagMap(nil), tagMap(nil)); got.IsNull() || len(got.Elements()) != 0 {
		t.Fatalf("refresh with empty own tags: want empty, got %v", got)
	}
}
