package awscore

import "slices"

// TagChanges is what moves an entity's tags from have to want: the keys to remove (sorted) and the
// tags to set (new or changed). The one tag differ of the provider.
func TagChanges(have, want map[string]string) (remove []string, set map[string]string) {
	for k := range have {
		if _, ok := want[k]; !ok {
			remove = append(remove, k)
		}
	}
	slices.Sort(remove)
	set = map[string]string{}
	for k, v := range want {
		if hv, ok := have[k]; !ok || hv != v {
			set[k] = v
		}
	}
	return remove, set
}
