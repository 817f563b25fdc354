//go:build linux

package sqlite

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// procStatusKB reads one "Vm…: N kB" line of /proc/self/status. SQLite's page cache and the Go
// heap both count in the process's resident set, which is what "memory the plugin adds" means.
func procStatusKB(key string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), key+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return -1
}

// resetPeakRSS starts a new high-water mark (writing 5 to clear_refs resets VmHWM).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// memWatch reports how far the peak resident set rose above where it stood when it was made.
type memWatch struct{ startKB int64 }

func watchMemory() memWatch {
	resetPeakRSS()
	return memWatch{startKB: procStatusKB("VmRSS")}
}

func (m memWatch) report(b *testing.B) {
	if peak := procStatusKB("VmHWM"); peak > 0 && m.startKB > 0 {
		b.ReportMetric(float64(peak-m.startKB)/1024, "peak-rss-growth-MB")
	}
}
