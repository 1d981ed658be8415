package jst

import "context"

// Gateway names, as Gateway.Name returns them.
const (
	GatewayOpenAPI = "openapi"
	GatewayQimen   = "qimen"
)

// Gateway is a JST gateway the poller can read pages from: the open API
// ([Client]) or the Taobao Qimen gateway ([QimenClient]). Both take the
// same Query and return the same Page, and both report JST's refusals as
// an [*APIError] with JST's codes, so a caller need not know which one it
// holds.
type Gateway interface {
	// Query asks for one page of documents of kind. Errors are as for
	// Client.Query.
	Query(ctx context.Context, kind Kind, q Query) (*Page, error)

	// Name is GatewayOpenAPI or GatewayQimen.
	Name() string
}

var (
	_ Gateway = (*Client)(nil)
	_ Gateway = (*QimenClient)(nil)
)

// Name returns GatewayOpenAPI: a Client calls the open API.
func (c *Client) Name() string { return GatewayOpenAPI }
