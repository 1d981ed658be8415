package telemetry

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestNewLogger(t *testing.T) {
	tests := []struct {
		level, format string
		wantErr       string
		json          bool
	}{
		{"", "", "", true},
		{"debug", "json", "", true},
		{"warn", "text", "", false},
		{"loud", "json", `LOG_LEVEL "loud"`, false},
		{"info", "yaml", `LOG_FORMAT "yaml"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.level+"/"+tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			log, err := NewLogger(&buf, tt.level, tt.format)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("NewLogger(%q, %q) = %v, want error naming %s",
						tt.level, tt.format, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewLogger(%q, %q) = %v", tt.level, tt.format, err)
			}
			log.Warn("hello", "doc_key", "order.1")
			var m map[string]any
			isJSON := json.Unmarshal(buf.Bytes(), &m) == nil
			if isJSON != tt.json {
				t.Errorf("output %q: JSON = %v, want %v", buf.String(), isJSON, tt.json)
			}
		})
	}
}
