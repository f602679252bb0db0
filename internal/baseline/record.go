package baseline

import (
	"regexp"
	"strings"
)

// IAM tag values may hold only letters, digits, white space and _.:/=+-@ (IAM's pattern
// [\p{L}\p{Z}\p{N}_.:/=+\-@]*), counted in characters: a person's record is kept within that.
var tagValueChars = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// ValidTagValue tells whether IAM accepts s as a tag value (characters only; the length is checked
// apart).
func ValidTagValue(s string) bool { return tagValueChars.MatchString(s) }

// modifierApostrophe is U+02BC MODIFIER LETTER APOSTROPHE: a letter to IAM (\p{L}), so a tag value
// may hold it, and it looks like the apostrophe of O'Brien.
const modifierApostrophe = "\u02BC"

// apostrophes are the characters people type for an apostrophe: ' (U+0027) and ’ (U+2019).
var apostrophes = strings.NewReplacer("'", modifierApostrophe, "\u2019", modifierApostrophe)

// RecordName is how a person's full name is kept in the IAM tag FullName: IAM tag values cannot hold
// an apostrophe, so "Seán O'Brien" is kept as "Seán OʼBrien", with U+02BC MODIFIER LETTER APOSTROPHE,
// which IAM counts as a letter and which reads the same. Every other character is kept as it is.
func RecordName(fullName string) string { return apostrophes.Replace(fullName) }

// SameRecordName tells whether the tag value kept for a full name is the record of fullName (so that
// a configuration that writes O'Brien shows no difference against the tag OʼBrien).
func SameRecordName(fullName, tag string) bool { return RecordName(fullName) == tag }
