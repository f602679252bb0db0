package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// CLI runs the real Terraform CLI (TF_ACC_TERRAFORM_PATH) in a temporary directory with the provider
// binary built from this module (dev_overrides: no registry, no `terraform init`). It serves tests
// that terraform-plugin-testing cannot express, such as interrupting an apply midway with SIGINT and
// applying again. Provider processes are real child processes of Terraform, as in production.
type CLI struct {
	t         testing.TB
	Dir       string   // working directory: configuration, state, logs
	Env       []string // environment of every command: this process's, plus the CLI configuration
	Terraform string
}

// NewCLI prepares a working directory. It fails the test when TF_ACC_TERRAFORM_PATH is not set.
func NewCLI(t testing.TB) *CLI {
	t.Helper()
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the Terraform CLI (make test sets it)")
	}
	providerDir := ProviderBinaryDir(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, "dev.tfrc")
	content := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"iambaseline/iambaseline\" = %q\n  }\n  direct {}\n}\n", providerDir)
	if err := os.WriteFile(rc, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return &CLI{t: t, Dir: dir, Env: env, Terraform: terraform}
}

// WriteConfig replaces main.tf.
func (c *CLI) WriteConfig(hcl string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.Dir, "main.tf"), []byte(hcl), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// WriteVarFile writes vars, as JSON, to the variable file name in the working directory (for
// -var-file=name).
func (c *CLI) WriteVarFile(name string, vars any) {
	c.t.Helper()
	b, err := json.Marshal(vars)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.Dir, name), b, 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// Run runs one command to its end and returns its combined output; err carries the exit status.
// `-no-color` and `-input=false` are the caller's to add where the command takes them.
func (c *CLI) Run(args ...string) (string, error) {
	r := c.Start(args...)
	out, _, err := r.Wait()
	return out, err
}

// Start starts a command in the background.
func (c *CLI) Start(args ...string) *CLIRun {
	c.t.Helper()
	r := &CLIRun{out: &syncBuffer{}, done: make(chan struct{})}
	r.cmd = exec.Command(c.Terraform, args...)
	r.cmd.Dir, r.cmd.Env, r.cmd.Stdout, r.cmd.Stderr = c.Dir, c.Env, r.out, r.out
	if err := r.cmd.Start(); err != nil {
		c.t.Fatalf("starting terraform %s: %v", strings.Join(args, " "), err)
	}
	go func() {
		r.err = r.cmd.Wait()
		close(r.done)
	}()
	// A test that fails before Wait must not leave Terraform (and its providers) running.
	c.t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			_ = r.cmd.Process.Kill()
			<-r.done
		}
	})
	return r
}

// CLIRun is a Terraform command running in the background.
type CLIRun struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
}

// Interrupt sends SIGINT, as Ctrl-C does: Terraform stops starting new operations, waits for the
// running ones and saves state. A second Interrupt makes it exit at once, abandoning running
// operations (the way a create can succeed in AWS without reaching the state).
func (r *CLIRun) Interrupt() error { return r.cmd.Process.Signal(syscall.SIGINT) }

// Output is what the command printed so far.
func (r *CLIRun) Output() string { return r.out.String() }

// Wait waits for the command and returns its output and exit code (-1 when it did not exit normally).
func (r *CLIRun) Wait() (string, int, error) {
	<-r.done
	code := 0
	if r.err != nil {
		code = -1
		var exitErr *exec.ExitError
		if errors.As(r.err, &exitErr) {
			code = exitErr.ExitCode()
		}
	}
	return r.out.String(), code, r.err
}

// WaitTimeout is Wait with a deadline, after which the command is killed.
func (r *CLIRun) WaitTimeout(d time.Duration) (string, int, error) {
	select {
	case <-r.done:
	case <-time.After(d):
		_ = r.cmd.Process.Kill()
	}
	return r.Wait()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var (
	providerBuild    sync.Once
	providerBuildDir string
	providerBuildErr error
)

// ProviderBinaryDir builds terraform-provider-iambaseline from this module once per test process,
// into <module>/.tmp/acctest-provider (ignored by git), and returns that directory.
func ProviderBinaryDir(t testing.TB) string {
	t.Helper()
	providerBuild.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
		if err != nil {
			providerBuildErr = fmt.Errorf("go env GOMOD: %w", err)
			return
		}
		root := filepath.Dir(strings.TrimSpace(string(gomod)))
		providerBuildDir = filepath.Join(root, ".tmp", "acctest-provider")
		// Test binaries of several packages build at once, and one may be running the binary another
		// replaces: build under a private name, then rename into place (atomic, no "text file busy").
		final := filepath.Join(providerBuildDir, "terraform-provider-iambaseline")
		private := fmt.Sprintf("%s.%d", final, os.Getpid())
		build := exec.CommandContext(ctx, "go", "build", "-o", private, ".")
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			providerBuildErr = fmt.Errorf("building the provider: %w\n%s", err, out)
			return
		}
		if err := os.Rename(private, final); err != nil {
			providerBuildErr = fmt.Errorf("installing the provider binary: %w", err)
		}
	})
	if providerBuildErr != nil {
		t.Fatal(providerBuildErr)
	}
	return providerBuildDir
}

// ProviderBlock renders a provider block that sends IAM and STS requests to endpoint (a FaultProxy's
// URL), with generous SDK retries, for configurations written by tests.
func ProviderBlock(endpoint string, maxRetries int) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    iambaseline = {
      source = "iambaseline/iambaseline"
    }
  }
}

provider "iambaseline" {
  max_retries = %d
  endpoints {
    iam = %q
    sts = %q
  }
}
`, maxRetries, endpoint, endpoint)
}
