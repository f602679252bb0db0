//go:build tools

// Package tools pins the versions of the development tools, kept out of the provider's go.mod.
package tools

import (
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)
