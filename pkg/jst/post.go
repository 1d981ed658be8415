package jst

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// postForm posts form to target and returns the body of a 2xx answer. name
// labels errors: the path of the open API or the Qimen method. A status
// outside 2xx gives an *HTTPError; a body over maxBody an error wrapping
// ErrMalformed that says so, never a body cut short; transport and read
// failures are wrapped.
func postForm(
	ctx context.Context,
	hc *http.Client,
	target, name string,
	form url.Values,
) ([]byte, error) {
	req, err := http.NewRequestWithContext(
		ctx,
		http.MethodPost,
		target,
		strings.NewReader(form.Encode()),
	)
	if err != nil {
		return nil, fmt.Errorf("jst: %s: %w", name, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
	req.Header.Set("Accept", "application/json")

	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("jst: %s: %w", name, err)
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, &HTTPError{Status: resp.StatusCode, Endpoint: name}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("jst: %s: read body: %w", name, err)
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("jst: %s: %w: body over the %d MiB limit",
			name, ErrMalformed, maxBody>>20)
	}
	return body, nil
}
