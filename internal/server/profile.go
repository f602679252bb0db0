package server

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"
)

// pprofDirEnv names a directory where the provider writes Go heap profiles (a diagnostic aid for
// memory work, not a user feature): heap-<pid>.pprof every two seconds, heap-<pid>-peak.pprof when
// the heap is the largest seen so far, heap-<pid>-exit.pprof after a full collection at exit (what
// the process retains), runtime memory statistics every 250 ms in heap-<pid>-memstats.tsv, and a CPU
// profile of the whole process life in cpu-<pid>.pprof.
// Read them with
// `go tool pprof -top -sample_index=alloc_space|inuse_space bin/terraform-provider-iambaseline FILE`.
const pprofDirEnv = "IAMBASELINE_PPROF_DIR"

// startHeapProfiles starts the periodic writer when IAMBASELINE_PPROF_DIR is set and returns the
// function that writes the final profile; both are no-ops otherwise.
func startHeapProfiles() (final func()) {
	dir := os.Getenv(pprofDirEnv)
	if dir == "" {
		return func() {}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return func() {}
	}
	base := filepath.Join(dir, fmt.Sprintf("heap-%d", os.Getpid()))
	var peak uint64
	write := func(path string) {
		tmp := path + ".tmp"
		f, err := os.Create(tmp)
		if err != nil {
			return
		}
		if pprof.Lookup("heap").WriteTo(f, 0) != nil || f.Close() != nil {
			_ = os.Remove(tmp)
			return
		}
		_ = os.Rename(tmp, path)
	}
	stats, _ := os.Create(base + "-memstats.tsv")
	cpu, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
	if err == nil && pprof.StartCPUProfile(cpu) != nil {
		_ = cpu.Close()
		cpu = nil
	}
	go func() {
		if stats != nil {
			fmt.Fprintln(stats, "t_ms\theap_alloc_mb\theap_inuse_mb\tnext_gc_mb\tsys_mb\tstack_mb\tgoroutines\tnum_gc\tgc_cpu")
		}
		start := time.Now()
		for i := 0; ; i++ {
			time.Sleep(250 * time.Millisecond)
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if stats != nil {
				const mb = 1 << 20
				fmt.Fprintf(stats, "%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t%d\t%.3f\n", time.Since(start).Milliseconds(),
					float64(ms.HeapAlloc)/mb, float64(ms.HeapInuse)/mb, float64(ms.NextGC)/mb, float64(ms.Sys)/mb,
					float64(ms.StackInuse)/mb, runtime.NumGoroutine(), ms.NumGC, ms.GCCPUFraction)
			}
			if i%8 != 7 {
				continue
			}
			if ms.HeapAlloc > peak {
				peak = ms.HeapAlloc
				write(base + "-peak.pprof")
			}
			write(base + ".pprof")
		}
	}()
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			_ = cpu.Close()
		}
		// At exit no request is in flight: what a full collection leaves is what the process retains.
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if stats != nil {
			fmt.Fprintf(stats, "# exit after runtime.GC: heap_alloc %.1f MB, goroutines %d\n", float64(ms.HeapAlloc)/(1<<20), runtime.NumGoroutine())
		}
		write(base + "-exit.pprof")
	}
}
