//go:build faults

package writer_test

// The long variant of the fault test: ten times the documents.
func init() { faultScale = 10 }
