package jst

import (
	"context"
	"testing"
)

// TestGateways pages the same answer through both gateways behind the
// Gateway interface.
func TestGateways(t *testing.T) {
	_, open := newFake(t, "orders_strings.json")
	_, qimen := newFakeQimen(t, qimenFixture(t, "success_envelope.json"))

	tests := []struct {
		gw       Gateway
		wantName string
		wantDocs int
	}{
		{open, GatewayOpenAPI, 2},
		{qimen, GatewayQimen, 1},
	}
	for _, tt := range tests {
		t.Run(tt.wantName, func(t *testing.T) {
			if got := tt.gw.Name(); got != tt.wantName {
				t.Errorf("Name() = %s, want %s", got, tt.wantName)
			}
			p, err := tt.gw.Query(context.Background(), KindOrder, Query{StartTS: 1})
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			if len(p.Docs) != tt.wantDocs || p.PageIndex != 2 {
				t.Errorf("Query = page %d with %d docs, want page 2 with %d",
					p.PageIndex, len(p.Docs), tt.wantDocs)
			}
		})
	}
}
