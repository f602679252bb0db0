package baseline

import (
	"fmt"
	"regexp"
	"slices"
)

// Region names follow the patterns of the AWS partitions (the SDK's partitions.json); a name of the
// right shape that this version does not list may be a region newer than the provider.
var regionShapes = []*regexp.Regexp{
	regexp.MustCompile(`^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d{1,2}$`), // aws
	regexp.MustCompile(`^cn-[a-z]+-\d{1,2}$`),                           // aws-cn
	regexp.MustCompile(`^us-gov-[a-z]+-\d{1,2}$`),                       // aws-us-gov
	regexp.MustCompile(`^(us-iso|us-isob|us-isof|eu-isoe)-[a-z]+-\d{1,2}$`),
	regexp.MustCompile(`^eusc-[a-z]{2}-[a-z]+-\d{1,2}$`), // aws-eusc
}

// KnownRegions are the AWS regions this version knows, every partition.
var KnownRegions = []string{
	"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
	"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
	"eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
	"il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
	"us-west-1", "us-west-2",
	"cn-north-1", "cn-northwest-1",
	"us-gov-east-1", "us-gov-west-1",
	"us-iso-east-1", "us-iso-west-1", "us-isob-east-1", "us-isof-east-1", "us-isof-south-1", "eu-isoe-west-1",
	"eusc-de-east-1",
}

// CheckRegion says what is wrong with an AWS region name. problem is set when the name cannot be a
// region (refuse it); unknown is set when it has a region's shape but is not one this version knows
// (a typo, or a region newer than the provider: warn). Both name the closest known region.
func CheckRegion(name string) (problem, unknown string) {
	if slices.Contains(KnownRegions, name) {
		return "", ""
	}
	hint := ""
	if c, near := Closest(name, KnownRegions); near {
		hint = fmt.Sprintf(" Did you mean %q?", c)
	}
	for _, shape := range regionShapes {
		if shape.MatchString(name) {
			return "", fmt.Sprintf("%q is not an AWS region this provider knows.%s If it is a region newer than the provider, ignore this warning.", name, hint)
		}
	}
	return fmt.Sprintf("%q is not an AWS region name: region names look like \"us-east-1\" or \"eu-central-1\" (lowercase, no availability-zone letter).%s", name, hint), ""
}
