package transformer

import (
	"strings"

	"github.com/orderbridge/orderbridge/pkg/mapping"
	obv1 "github.com/orderbridge/orderbridge/proto/gen/go/orderbridge/v1"
)

// source returns the Source of whichever document res holds.
func source(res *mapping.Result) *obv1.Source {
	if so := res.Doc.GetSalesOrder(); so != nil {
		return so.GetSource()
	}
	return res.Doc.GetAfterSale().GetSource()
}

// subjectToken makes s safe as one subject token.
func subjectToken(s string) string {
	if s == "" {
		return "none"
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '.', '*', '>', ' ', '\t':
			return '_'
		}
		return r
	}, s)
}
