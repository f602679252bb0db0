package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

// runWithArgument is the Run of a function of one argument: result is its value for the argument,
// or the error that says why there is none.
func runWithArgument[A, R any](ctx context.Context, req function.RunRequest, resp *function.RunResponse, result func(A) (R, *function.FuncError)) {
	var arg A
	if resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &arg)); resp.Error != nil {
		return
	}
	value, err := result(arg)
	if err != nil {
		resp.Error = err
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, value))
}
