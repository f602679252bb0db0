// Package awscore is the plumbing every AWS package of the provider shares (awsiam, awsactivity,
// awssso) and the test proxies use: AWS error codes and the typed not-found error, bounded and
// cancellable retries, the tag diff, and the counting of requests with the read/write split that
// cached reads depend on. It knows no service's types and no Terraform.
package awscore
