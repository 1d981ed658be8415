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

// TestNumberLen: the number at the start of the text, by the strict JSON
// grammar, and where it ends.
func TestNumberLen(t *testing.T) {
	for s, want := range map[string]int{
		"0": 1, "-0": 2, "594": 3, "12.50": 5, "-1.5e-3": 7, "1E+2": 4, "7,": 1, "3]": 1,
		"": 0, "-": 0, "+1": 0, "01": 1, "1.": 0, ".5": 0, "1e": 0, "1e+": 0, "NaN": 0, "x1": 0,
	} {
		if got := NumberLen(s); got != want {
			t.Errorf("NumberLen(%q) = %d, want %d", s, got, want)
		}
		if got := NumberLen([]byte(s)); got != want {
			t.Errorf("NumberLen([]byte(%q)) = %d, want %d", s, got, want)
		}
	}
}
