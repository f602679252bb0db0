// Command bench measures one N: inside scripts/with-emulator.sh (AWS_ENDPOINT_URL is a fresh moto),
// it applies and then plans a baseline plus N onboarded users with the provider from -provider-dir,
// and appends one JSON line (bench.Result) to -out. scripts/bench.sh runs it for each N.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/acctest/accenv"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/bench"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/faultproxy"
	"github.com/iambaseline/terraform-provider-iambaseline/internal/provider"
)

func main() {
	n := flag.Int("n", 10, "number of onboarded users")
	terraform := flag.String("terraform", "terraform", "path of the Terraform CLI (1.8.5)")
	providerDir := flag.String("provider-dir", "bin", "directory holding terraform-provider-iambaseline (make build)")
	out := flag.String("out", ".tmp/bench/results.jsonl", "results file; one JSON line is appended")
	parallelism := flag.Int("parallelism", 10, "terraform -parallelism")
	smoke := flag.Bool("smoke", false, "provider only, no resources: checks the harness before the resources exist")
	keep := flag.Bool("keep", false, "keep the working directory (logs, state) instead of deleting it")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, *n, *terraform, *providerDir, *out, *parallelism, !*smoke, *keep)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, n int, terraform, providerDir, out string, parallelism int, resources, keep bool) error {
	upstream := accenv.EmulatorEndpoint()
	if upstream == "" {
		return errors.New("AWS_ENDPOINT_URL is not set: run through scripts/with-emulator.sh (make bench does)")
	}
	providerDir, err := filepath.Abs(providerDir)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(providerDir, "terraform-provider-iambaseline")); err != nil {
		return fmt.Errorf("no provider binary in %s: run `make build` first", providerDir)
	}
	tfVersion, err := exec.CommandContext(ctx, terraform, "version").Output()
	if err != nil {
		return fmt.Errorf("running %s version: %w", terraform, err)
	}

	// A zero-fault proxy: it only counts what reaches the emulator, per action.
	proxy, err := faultproxy.New(upstream, faultproxy.Config{Record: true})
	if err != nil {
		return err
	}
	defer proxy.Close()

	work, err := os.MkdirTemp("", "iambaseline-bench-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Fprintln(os.Stderr, "bench: keeping", work)
	} else {
		defer os.RemoveAll(work)
	}
	callsFile := filepath.Join(work, "calls.jsonl")
	files := map[string]string{
		"dev.tfrc": bench.CLIConfig(providerDir),
		"main.tf":  bench.Config(proxy.URL(), n, resources),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(work, name), []byte(content), 0o600); err != nil {
			return err
		}
	}
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(work, "dev.tfrc"),
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		provider.CallsFileEnv+"="+callsFile,
	)

	res := bench.Result{
		N: n, Resources: resources, StartedAt: time.Now().UTC(),
		Machine: bench.Machine{
			CPUs: runtime.NumCPU(), MemoryMB: bench.MemoryMB(), Kernel: kernel(),
			GoVersion: runtime.Version(), Terraform: strings.SplitN(strings.TrimSpace(string(tfVersion)), "\n", 2)[0],
		},
	}
	motoPID, _ := strconv.Atoi(os.Getenv("MOTO_PID")) // scripts/with-emulator.sh exports it
	recordings := map[string][]faultproxy.Recorded{}
	phase := func(name string, args ...string) (bench.Phase, error) {
		proxy.ResetCounters()
		offset := bench.FileSize(callsFile)
		watcher := bench.WatchProcesses(provider.CallsFileEnv+"="+callsFile, 50*time.Millisecond)
		logPath := filepath.Join(work, name+".log")
		emulatorCPU := bench.ProcessCPUSeconds(motoPID)
		start := time.Now()
		code, runErr := terraformRun(ctx, terraform, work, env, logPath, append(args, fmt.Sprintf("-parallelism=%d", parallelism))...)
		seconds := time.Since(start).Seconds()
		usage := watcher.Stop()
		p := bench.Phase{
			Command:             "terraform " + strings.Join(args, " "),
			Seconds:             seconds,
			PeakRSSKB:           usage.ProviderPeakRSSKB,
			TerraformPeakRSSKB:  usage.TerraformPeakRSSKB,
			TerraformCPUSeconds: usage.TerraformCPUSeconds,
			ProviderCPUSeconds:  usage.ProviderCPUSeconds,
			Requests:            proxy.ForwardedTotal(),
			RequestsByAction:    proxy.Forwarded(),
			ExitCode:            code,
		}
		if motoPID > 0 {
			p.EmulatorCPUSeconds = bench.ProcessCPUSeconds(motoPID) - emulatorCPU
		}
		recordings[name] = proxy.Recorded()
		calls, err := bench.ReadCallsFile(callsFile, offset)
		if err != nil {
			return p, err
		}
		p.ProviderRequests, p.PeakRSSKB = calls.Requests, max(p.PeakRSSKB, calls.PeakRSSKB)
		p.RPCBusySeconds, p.AWSBusySeconds = calls.RPCBusy, calls.AWSBusy
		fmt.Fprintf(os.Stderr, "bench: N=%d %s: %.1fs, %d requests at the emulator (%.2f per user), provider peak RSS %.1f MB, Terraform peak RSS %.1f MB, "+
			"CPU s terraform/provider/emulator %.1f/%.1f/%.1f, provider busy %.1fs (AWS in flight %.1fs), exit %d\n",
			n, name, p.Seconds, p.Requests, bench.PerUser(p.Requests, n), float64(p.PeakRSSKB)/1024, float64(p.TerraformPeakRSSKB)/1024,
			p.TerraformCPUSeconds, p.ProviderCPUSeconds, p.EmulatorCPUSeconds, p.RPCBusySeconds, p.AWSBusySeconds, code)
		if runErr != nil {
			return p, fmt.Errorf("%s: %w\n%s", p.Command, runErr, tail(logPath, 40))
		}
		return p, nil
	}

	if res.Apply, err = phase("apply", "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return err
	}
	if res.Plan, err = phase("plan", "plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil && res.Plan.ExitCode != 2 {
		return err
	}
	res.Plan.EmptyPlan = res.Plan.ExitCode == 0
	if !res.Plan.EmptyPlan {
		fmt.Fprintf(os.Stderr, "bench: WARNING: the plan after apply is not empty (exit %d): the provider does not converge\n%s\n", res.Plan.ExitCode, tail(filepath.Join(work, "plan.log"), 40))
	}

	// The floor: the same requests again, on the same emulator reset to empty, without Terraform
	// and the provider.
	if resources {
		if err := resetEmulator(ctx, upstream); err != nil {
			return err
		}
		creds := aws.Credentials{AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY")}
		for _, ph := range []struct {
			name string
			p    *bench.Phase
		}{{"apply", &res.Apply}, {"plan", &res.Plan}} {
			floor, err := bench.Replay(ctx, upstream, recordings[ph.name], parallelism, creds)
			if err != nil {
				return fmt.Errorf("floor of %s: %w", ph.name, err)
			}
			ph.p.Floor = &floor
			fmt.Fprintf(os.Stderr, "bench: N=%d %s floor: %.1fs for %d requests (%d answered otherwise than to the provider), at most %d in flight (provider: %d); ratio %.2f\n",
				n, ph.name, floor.Seconds, floor.Requests, floor.Mismatches, floor.MaxInFlight, floor.RecordedMaxInFlight, ph.p.Seconds/floor.Seconds)
		}
	}

	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	line, err := json.Marshal(res)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// resetEmulator empties moto (POST /moto-api/reset) for the floor's replay.
func resetEmulator(ctx context.Context, endpoint string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint+"/moto-api/reset", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("resetting the emulator: %w", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("resetting the emulator: %s", resp.Status)
	}
	return nil
}

// terraformRun runs one Terraform command with its output in logPath. Cancelling ctx (Ctrl-C) sends
// Terraform SIGINT so that it stops its provider processes itself, and kills it 20 s later.
func terraformRun(ctx context.Context, terraform, dir string, env []string, logPath string, args ...string) (int, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return -1, err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, terraform, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, logFile, logFile
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	err = cmd.Run()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode(), err
	}
	if err != nil {
		return -1, err
	}
	return 0, nil
}

func tail(path string, lines int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return "  | " + strings.Join(all, "\n  | ")
}

func kernel() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return runtime.GOOS
	}
	return runtime.GOOS + " " + strings.TrimSpace(string(b))
}
