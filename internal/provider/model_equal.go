package provider

import (
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
)

// sameModel reports whether two values of one resource model struct hold equal values in every
// field (attr.Value fields compared with Equal). A Read that changed nothing skips State.Set, and a
// plan that changes nothing skips Plan.Set: the framework converts a whole model through reflection
// on every Get and Set, which at thousands of resources is a large share of a refresh's CPU time
// (BENCHMARKS.md), while the response already holds the prior value.
func sameModel[T any](a, b *T) bool {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	if va.Kind() != reflect.Struct {
		return reflect.DeepEqual(a, b)
	}
	for i := range va.NumField() {
		fa, fb := va.Field(i), vb.Field(i)
		if fa.IsZero() && fb.IsZero() {
			continue // both unset (a zero collection value does not Equal itself)
		}
		if !fa.CanInterface() {
			return false // unexported: not a model the helper understands
		}
		x, ok := fa.Interface().(attr.Value)
		if !ok {
			if !reflect.DeepEqual(fa.Interface(), fb.Interface()) {
				return false
			}
			continue
		}
		y, _ := fb.Interface().(attr.Value)
		if !x.Equal(y) {
			return false
		}
	}
	return true
}
