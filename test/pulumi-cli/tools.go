//go:build tools

// The Pulumi CLI's main package, so that `go build` in this module builds it at the required release.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
