package poller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/orderbridge/orderbridge/pkg/jst"
)

// tokenKey is the merchant's JST token pair in ob-state.
const tokenKey = "token"

// storedToken is the JSON kept under tokenKey. It holds secrets: never
// log it.
type storedToken struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token"`
	Expires      time.Time `json:"expires,omitzero"`
	Updated      time.Time `json:"updated"`
}

// tokens is the merchant's open API token pair. Only the lease holder
// refreshes it, and every refresh is stored in ob-state at once, since JST
// voids the old pair: a poller that starts later, or a standby that takes
// over, begins from the newest pair.
type tokens struct {
	kv     jetstream.KeyValue
	client *jst.Client
	now    func() time.Time
	before time.Duration

	mu  sync.Mutex
	cur storedToken
	gen uint64 // counts refreshes, so concurrent callers refresh once
}

// load makes the stored pair the client's, or the configured pair when
// none is stored. It reports where the pair came from.
func (t *tokens) load(ctx context.Context, access, refresh string) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()

	e, err := t.kv.Get(ctx, tokenKey)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		t.cur = storedToken{AccessToken: access, RefreshToken: refresh}
		t.client.SetAccessToken(access)
		return "environment", nil
	case err != nil:
		return "", fmt.Errorf("poller: read %s: %w", tokenKey, err)
	}

	var st storedToken
	if err := json.Unmarshal(e.Value(), &st); err != nil || st.AccessToken == "" {
		return "", fmt.Errorf("poller: decode %s: not a token pair", tokenKey)
	}
	t.cur = st
	t.client.SetAccessToken(st.AccessToken)
	return tokenKey, nil
}

// generation identifies the pair in use; pass it to refresh.
func (t *tokens) generation() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.gen
}

// due reports whether the access token expires within the refresh margin.
// A pair of unknown expiry is refreshed only when JST refuses it.
func (t *tokens) due() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return !t.cur.Expires.IsZero() && t.now().After(t.cur.Expires.Add(-t.before))
}

// refresh trades the refresh token for a new pair and stores it, unless
// the pair has changed since generation gen was read. A refusal or a
// failure is a *PauseError: the merchant cannot be polled until a person
// supplies a working pair.
func (t *tokens) refresh(ctx context.Context, gen uint64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen != gen {
		return nil
	}

	tok, err := t.client.RefreshToken(ctx, t.cur.RefreshToken)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		pe := &PauseError{Hint: "token refresh failed: set a new JST_REFRESH_TOKEN", Err: err}
		var api *jst.APIError
		if errors.As(err, &api) {
			pe.Code = api.Code
		}
		return pe
	}

	t.cur = storedToken{
		AccessToken:  tok.AccessToken,
		RefreshToken: tok.RefreshToken,
		Updated:      t.now(),
	}
	if tok.ExpiresIn > 0 {
		t.cur.Expires = t.now().Add(tok.ExpiresIn)
	}
	t.gen++
	return t.store(ctx)
}

// store writes the current pair, trying a few times: JST has already
// voided the old one.
func (t *tokens) store(ctx context.Context) error {
	b, err := json.Marshal(t.cur)
	if err != nil {
		return fmt.Errorf("poller: encode %s: %w", tokenKey, err)
	}
	for attempt := 1; ; attempt++ {
		_, err = t.kv.Put(ctx, tokenKey, b)
		if err == nil || attempt == 5 || ctx.Err() != nil {
			break
		}
		wait(ctx, time.Duration(attempt)*200*time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("poller: store refreshed %s: %w", tokenKey, err)
	}
	return nil
}
