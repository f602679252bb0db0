package server

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The helper processes of TestWatchParentExitsWhenParentIsKilled: the test runs this binary as a
// "parent" that starts it again as a "child" and waits forever; the child watches its parent the way
// Serve does and exits when it is gone.
const parentRoleEnv = "IAMBASELINE_TEST_PARENT_ROLE"

func TestMain(m *testing.M) {
	switch os.Getenv(parentRoleEnv) {
	case "parent":
		child := exec.Command(os.Args[0], "-test.run=^$")
		child.Env = append(os.Environ(), parentRoleEnv+"=child")
		child.Stdout = os.Stdout // the child holds the test's pipe open for as long as it lives
		if err := child.Start(); err != nil {
			os.Exit(10)
		}
		select {} // until SIGKILL
	case "child":
		watchParent(20*time.Millisecond, func() { os.Exit(exitParentGone) })
		_, _ = os.Stdout.WriteString("ready " + strconv.Itoa(os.Getpid()) + "\n")
		select {}
	}
	os.Exit(m.Run())
}

// TestWatchParentExitsWhenParentIsKilled kills the parent of a process that watches its parent, as
// when Terraform is SIGKILLed, and measures how long the orphan lives on: its end is seen as the end
// of the pipe only it still holds.
func TestWatchParentExitsWhenParentIsKilled(t *testing.T) {
	parent := exec.Command(os.Args[0], "-test.run=^$")
	parent.Env = append(os.Environ(), parentRoleEnv+"=parent")
	// An os.Pipe, not StdoutPipe: Wait closes a StdoutPipe's reader when the parent dies.
	out, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	parent.Stdout = w
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	_ = w.Close() // only the parent and the child hold it now
	lines := bufio.NewReader(out)
	line, err := lines.ReadString('\n')
	pid, perr := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(line), "ready "))
	if perr != nil {
		_ = parent.Process.Kill()
		t.Fatalf("child did not start: %q, %v", line, err)
	}
	defer func() { _ = syscall.Kill(pid, syscall.SIGKILL) }() // when the watch failed
	killed := time.Now()
	if err := parent.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = parent.Wait()
	eof := make(chan time.Duration, 1)
	go func() {
		_, _ = lines.ReadString('\n') // returns at EOF: the child is gone
		eof <- time.Since(killed)
	}()
	select {
	case latency := <-eof:
		t.Logf("the orphan exited %v after its parent was killed", latency.Round(time.Millisecond))
		if latency > 2*time.Second {
			t.Errorf("the orphan exited %v after its parent was killed, want < 2 s", latency)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the orphan still runs 10 s after its parent was killed")
	}
}

func TestWatchParentStops(t *testing.T) {
	called := make(chan struct{}, 1)
	stop := watchParent(time.Millisecond, func() { called <- struct{}{} })
	time.Sleep(20 * time.Millisecond)
	stop()
	stop()
	select {
	case <-called:
		t.Fatal("gone was called while the parent lives")
	default:
	}
}
