package test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// repoRoot returns the repository's root, two levels above this module.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.work")); err != nil {
		t.Fatalf("repository root %s: %v", dir, err)
	}
	return dir
}

func itoa(n int) string { return strconv.Itoa(n) }

// tempDir makes a directory for a stack shared by the tests of this
// binary; TestMain removes it.
func tempDir() (string, error) {
	dir, err := os.MkdirTemp("", "orderbridge-deploy-test-")
	if err == nil {
		tempDirs = append(tempDirs, dir)
	}
	return dir, err
}

var tempDirs []string

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range tempDirs {
		_ = os.RemoveAll(d)
	}
	os.Exit(code)
}
