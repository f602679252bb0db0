package awscore

import "context"

// Paginator is what the SDK's generated paginators have in common; Opt is the service's Options.
type Paginator[O, Opt any] interface {
	HasMorePages() bool
	NextPage(ctx context.Context, optFns ...func(*Opt)) (*O, error)
}

// Collect reads every page of p and gathers what items takes of each. The first failed page ends
// it: nothing is returned but that error, as the SDK gave it.
func Collect[T, O, Opt any](ctx context.Context, p Paginator[O, Opt], items func(*O) []T) ([]T, error) {
	var out []T
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, items(page)...)
	}
	return out, nil
}

// Each converts every element of in with f (nil for none).
func Each[T, E any](in []E, f func(E) T) []T {
	var out []T
	for _, e := range in {
		out = append(out, f(e))
	}
	return out
}
