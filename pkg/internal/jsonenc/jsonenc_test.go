package jsonenc

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// TestAppendStringMatchesEncodingJSON: every string, valid UTF-8 or not,
// is written as encoding/json writes it.
func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	cases := []string{
		"", "plain", "quote \" backslash \\ slash /", "\b\f\n\r\t\x00\x01\x1f\x7f",
		"<script>&amp;</script>", "line\u2028para\u2029end", "bad \xff\xfe utf-8 \xe4\xb8",
		"中文 ✓ 𝄞", "\xed\xa0\x80 surrogate half",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("a\"\\<>&\x00\x1f\n\xe4\xb8\xad\xe2\x80\xa8\xff ")
	for range 5000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendString(nil, s); string(got) != string(want) {
			t.Errorf("AppendString(%q) = %s, want %s", s, got, want)
		}
	}
}
