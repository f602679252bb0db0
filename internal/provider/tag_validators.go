package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// IAM's tag limits, exactly: keys 1-128 and values 0-256 characters (not bytes), values of letters,
// digits, white space and _.:/=+-@ only, keys unique ignoring case (IAM keeps the case of a key but
// treats Team and team as the same key). Checked at validate time, before any API call.

const (
	maxTagKeyChars    = 128
	maxTagValueChars  = 256
	tagValueCharsText = "letters, digits, spaces and the characters _.:/=+-@"
)

// recordTagValidator checks an argument kept as a record tag (full_name, email, job_title). With
// apostrophes set, apostrophes are allowed: they are kept in the tag as U+02BC (baseline.RecordName).
type recordTagValidator struct {
	tag        string
	required   bool
	apostrophe bool
}

func (v recordTagValidator) Description(context.Context) string {
	return fmt.Sprintf("kept as the IAM tag %s: up to %d characters of %s", v.tag, maxTagValueChars, tagValueCharsText)
}

func (v recordTagValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v recordTagValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	kept := s
	if v.apostrophe {
		kept = baseline.RecordName(s)
	}
	n := utf8.RuneCountInString(kept)
	switch {
	case v.required && n == 0:
		resp.Diagnostics.AddAttributeError(req.Path, "Empty value",
			fmt.Sprintf("%s is required and cannot be empty: it is kept as the IAM tag %s.", req.Path, v.tag))
	case n > maxTagValueChars:
		resp.Diagnostics.AddAttributeError(req.Path, "Value too long for an IAM tag",
			fmt.Sprintf("%s has %d characters; it is kept as the IAM tag %s, whose value holds at most %d characters. Shorten it.", req.Path, n, v.tag, maxTagValueChars))
	case !baseline.ValidTagValue(kept):
		fix := "Write it without them"
		if v.apostrophe {
			fix = "Write it without them (apostrophes are fine: they are kept as ʼ, U+02BC)"
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Character IAM refuses in a tag value",
			fmt.Sprintf("%s is kept as the IAM tag %s, and IAM tag values may hold only %s; %q has %s. %s.",
				req.Path, v.tag, tagValueCharsText, s, baseline.JoinQuoted(refusedChars(kept)), fix))
	}
}

// refusedChars are the distinct characters of s that IAM refuses in a tag value, in order.
func refusedChars(s string) []string {
	var out []string
	for _, r := range s {
		c := string(r)
		if !baseline.ValidTagValue(c) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// tagMapValidator checks a map of tags: key and value lengths in characters, value characters,
// and keys that differ only by case.
type tagMapValidator struct{ describedAs }

var tagMapDescription = describedAs(fmt.Sprintf("IAM tags: keys 1-%d characters, unique ignoring case; values up to %d characters of %s",
	maxTagKeyChars, maxTagValueChars, tagValueCharsText))

func (tagMapValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	keys := slices.Sorted(maps.Keys(elems))
	seen := map[string]string{}
	for _, k := range keys {
		at := req.Path.AtMapKey(k)
		if n := utf8.RuneCountInString(k); n < 1 || n > maxTagKeyChars {
			resp.Diagnostics.AddAttributeError(at, "Invalid tag key",
				fmt.Sprintf("The tag key %q has %d characters; IAM tag keys have 1 to %d characters.", k, n, maxTagKeyChars))
		}
		if other, dup := seen[strings.ToLower(k)]; dup {
			resp.Diagnostics.AddAttributeError(at, "Tag keys that differ only by case",
				fmt.Sprintf("%s has the keys %q and %q: IAM treats tag keys as the same when they differ only by case, so one would overwrite the other. Keep one of them.", req.Path, other, k))
		}
		seen[strings.ToLower(k)] = k
		s, ok := elems[k].(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		value := s.ValueString()
		if n := utf8.RuneCountInString(value); n > maxTagValueChars {
			resp.Diagnostics.AddAttributeError(at, "Tag value too long",
				fmt.Sprintf("The value of tag %q has %d characters; IAM tag values hold at most %d characters. Shorten it.", k, n, maxTagValueChars))
		}
		if !baseline.ValidTagValue(value) {
			resp.Diagnostics.AddAttributeError(at, "Character IAM refuses in a tag value",
				fmt.Sprintf("The value of tag %q is %q, and IAM tag values may hold only %s: remove %s.", k, value, tagValueCharsText, baseline.JoinQuoted(refusedChars(value))))
		}
	}
}

// userTagsQuota: a user carries at most 50 tags, and the record takes FullName and Email always and
// JobTitle only when job_title is set (not empty). The provider's default_tags are counted at plan
// time, when the provider is configured.
type userTagsQuota struct{ describedAs }

var userTagsQuotaDescription = describedAs(fmt.Sprintf("at most %d tags with the record tags FullName, Email and (when job_title is set) JobTitle", maxUserTags))

func (userTagsQuota) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	reserved, what := 2, "FullName and Email"
	var jobTitle types.String
	if diags := req.Config.GetAttribute(ctx, path.Root("job_title"), &jobTitle); !diags.HasError() && jobTitle.ValueString() != "" {
		reserved, what = 3, "FullName, Email and JobTitle"
	}
	tagsValidator(reserved, what).check(req.Path, len(req.ConfigValue.Elements()), &resp.Diagnostics)
}
