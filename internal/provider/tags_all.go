package provider

import (
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// tags_all works like terraform-provider-aws's: the plan holds the provider's default_tags merged
// with the resource's own tags, so that a change of default_tags shows as an in-place update of
// tags_all and the apply tags or untags the entity; the refresh records the tags AWS has, so that a
// tag changed or deleted out of band shows as drift. `tags` holds only the resource's own tags.

const tagsAllDescription = "All tags of the entity: the provider's `default_tags` merged with `tags` (resource tags win). Computed."

func tagsAllAttribute(extra string) schema.MapAttribute {
	return schema.MapAttribute{
		ElementType:         types.StringType,
		Computed:            true,
		MarkdownDescription: tagsAllDescription + extra,
	}
}

// plannedTagsAll is tags_all for a plan: default_tags ∪ own (own win), without the excluded keys.
// It is unknown while the own tags or the provider's default tags are unknown (or the provider is
// not configured yet).
func plannedTagsAll(client *awsiam.Client, tags types.Map, exclude ...string) types.Map {
	if client == nil || client.DefaultTagsUnknown || tags.IsUnknown() {
		return types.MapUnknown(types.StringType)
	}
	own := map[string]string{}
	for k, v := range tags.Elements() {
		s, ok := v.(types.String)
		if !ok || s.IsUnknown() {
			return types.MapUnknown(types.StringType)
		}
		own[k] = s.ValueString()
	}
	return tagsAllValue(client.MergeTags(own), exclude...)
}

// tagsAllValue is a tags_all value (never null: an entity without tags has an empty map).
func tagsAllValue(tags map[string]string, exclude ...string) types.Map {
	elems := make(map[string]attr.Value, len(tags))
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		if slices.Contains(exclude, k) {
			continue
		}
		elems[k] = types.StringValue(tags[k])
	}
	return types.MapValueMust(types.StringType, elems)
}

// ownTagsFromRemote is the part of the entity's tags (remote, the record tags already left out)
// that belongs in the resource's `tags`.
//
// After an import (or with a state written before tags_all existed: priorTagsAll is null) nothing
// tells which tags are the resource's own, so, as terraform-provider-aws does, every tag that does
// not carry a provider default tag's key and value is taken as the resource's.
//
// Otherwise `tags` keeps the keys it held (with the values AWS has, dropping the ones gone), so that
// the provider's default tags, including one removed from default_tags, and tags added out of band
// show only in tags_all.
func ownTagsFromRemote(remote, defaults map[string]string, priorTags, priorTagsAll types.Map) types.Map {
	own := map[string]string{}
	if priorTagsAll.IsNull() || priorTagsAll.IsUnknown() {
		for k, v := range remote {
			if _, mine := priorTags.Elements()[k]; !mine {
				if dv, ok := defaults[k]; ok && dv == v {
					continue
				}
			}
			own[k] = v
		}
	} else {
		for k := range priorTags.Elements() {
			if v, ok := remote[k]; ok {
				own[k] = v
			}
		}
	}
	if len(own) == 0 && (priorTags.IsNull() || priorTags.IsUnknown()) {
		return types.MapNull(types.StringType)
	}
	return tagsAllValue(own)
}
