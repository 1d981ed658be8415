package jst

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestDecimalUnmarshal(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		valid bool
	}{
		{`594`, "594", true},
		{`"594"`, "594", true},
		{`"594.00"`, "594", true},
		{`12.50`, "12.5", true},
		{`"-3.10"`, "-3.1", true},
		{`"0"`, "0", true},
		{`0.000`, "0", true},
		{`1e3`, "1000", true},
		{`"1.5E-2"`, "0.015", true},
		{`"+7"`, "7", true},
		{`"12345678901234567890.123456789"`, "12345678901234567890.123456789", true},
		{`""`, "", false},
		{`null`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var d Decimal
			if err := json.Unmarshal([]byte(tt.in), &d); err != nil {
				t.Fatalf("Unmarshal(%s) error: %v", tt.in, err)
			}
			if d.Valid != tt.valid || d.String() != tt.want {
				t.Errorf("Unmarshal(%s) = %q valid %v, want %q valid %v",
					tt.in, d.String(), d.Valid, tt.want, tt.valid)
			}
		})
	}
}

func TestDecimalUnmarshalRejects(t *testing.T) {
	for _, in := range []string{
		`"abc"`, `"1,234.00"`, `"NaN"`, `"Infinity"`, `true`, `[]`, `{}`,
		`"1e999999999"`, `"1e41"`, `" 5"`, `".5"`, `"5."`, `"0x10"`, `"−5"`,
		`"` + strings.Repeat("9", 70) + `"`,
	} {
		t.Run(in, func(t *testing.T) {
			var d Decimal
			err := json.Unmarshal([]byte(in), &d)
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				t.Fatalf("Unmarshal(%s) error = %v, want *json.UnmarshalTypeError", in, err)
			}
			if d.Valid {
				t.Errorf("Unmarshal(%s) left Valid true", in)
			}
			if in[0] != '[' && in[0] != '{' && !strings.HasPrefix(te.Value, in[:2]) {
				t.Errorf("Unmarshal(%s) error value = %q, want the JSON text", in, te.Value)
			}
		})
	}
}

func TestIntUnmarshal(t *testing.T) {
	tests := []struct {
		in    string
		want  int64
		valid bool
		fails bool
	}{
		{in: `4933993380`, want: 4933993380, valid: true},
		{in: `"4933993380"`, want: 4933993380, valid: true},
		{in: `"-2"`, want: -2, valid: true},
		{in: `""`},
		{in: `null`},
		{in: `"1.5"`, fails: true},
		{in: `1.0`, fails: true},
		{in: `"99999999999999999999"`, fails: true},
		{in: `"x"`, fails: true},
		{in: `false`, fails: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var n Int
			err := json.Unmarshal([]byte(tt.in), &n)
			if (err != nil) != tt.fails {
				t.Fatalf("Unmarshal(%s) error = %v, want failure %v", tt.in, err, tt.fails)
			}
			if n.Value != tt.want || n.Valid != tt.valid {
				t.Errorf("Unmarshal(%s) = %d valid %v, want %d valid %v",
					tt.in, n.Value, n.Valid, tt.want, tt.valid)
			}
		})
	}
}

func TestStringUnmarshal(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		fails bool
	}{
		{in: `8295815`, want: "8295815"},
		{in: `"8295815"`, want: "8295815"},
		{in: `"户外厚款羽绒服"`, want: "户外厚款羽绒服"},
		{in: `"a\"b\u00e9"`, want: `a"bé`},
		{in: `null`, want: ""},
		{in: `""`, want: ""},
		{in: `-1.5`, want: "-1.5"},
		{in: `true`, fails: true},
		{in: `{"a":1}`, fails: true},
		{in: `[1]`, fails: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var s String
			err := json.Unmarshal([]byte(tt.in), &s)
			if (err != nil) != tt.fails {
				t.Fatalf("Unmarshal(%s) error = %v, want failure %v", tt.in, err, tt.fails)
			}
			if string(s) != tt.want {
				t.Errorf("Unmarshal(%s) = %q, want %q", tt.in, s, tt.want)
			}
		})
	}
}

func TestTimeUnmarshal(t *testing.T) {
	want := time.Date(2023, 1, 9, 13, 16, 35, 0, Beijing)
	tests := []struct {
		in    string
		want  time.Time
		fails bool
	}{
		{in: `"2023-01-09 13:16:35"`, want: want},
		{in: `""`},
		{in: `null`},
		{in: `"0000-00-00 00:00:00"`},
		{in: `"2023-01-09T13:16:35+08:00"`, fails: true},
		{in: `1673241395`, fails: true},
		{in: `"yesterday"`, fails: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got Time
			err := json.Unmarshal([]byte(tt.in), &got)
			if (err != nil) != tt.fails {
				t.Fatalf("Unmarshal(%s) error = %v, want failure %v", tt.in, err, tt.fails)
			}
			if !got.Equal(tt.want) {
				t.Errorf("Unmarshal(%s) = %v, want %v", tt.in, got.Time, tt.want)
			}
		})
	}
	var got Time
	_ = json.Unmarshal([]byte(`"2023-01-09 13:16:35"`), &got)
	if u := got.Unix(); u != 1673241395 {
		t.Errorf("Unmarshal(2023-01-09 13:16:35).Unix() = %d, want 1673241395", u)
	}
}

func TestBoolUnmarshal(t *testing.T) {
	tests := []struct {
		in    string
		want  bool
		fails bool
	}{
		{in: `true`, want: true},
		{in: `false`},
		{in: `1`, want: true},
		{in: `0`},
		{in: `"true"`, want: true},
		{in: `"false"`},
		{in: `"1"`, want: true},
		{in: `""`},
		{in: `null`},
		{in: `2`, fails: true},
		{in: `"yes"`, fails: true},
		{in: `[]`, fails: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var b Bool
			err := json.Unmarshal([]byte(tt.in), &b)
			if (err != nil) != tt.fails {
				t.Fatalf("Unmarshal(%s) error = %v, want failure %v", tt.in, err, tt.fails)
			}
			if bool(b) != tt.want {
				t.Errorf("Unmarshal(%s) = %v, want %v", tt.in, b, tt.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("羽", 30)
	got := truncate(long, 10)
	if got != "羽羽羽…" {
		t.Errorf("truncate(30×羽, 10) = %q, want %q", got, "羽羽羽…")
	}
	if got := truncate("short", 10); got != "short" {
		t.Errorf("truncate(short, 10) = %q, want %q", got, "short")
	}
}

// TestFormatDecimalFastPathAgrees: amounts whose coefficient fits an
// int64 are formatted without math/big, and must read exactly as the
// math/big path writes them.
func TestFormatDecimalFastPathAgrees(t *testing.T) {
	var cases []decimal.Decimal
	for _, c := range []string{"0", "-0", "0.000", "594", "12.50", "-0.01", "100", "1000.000",
		"0.000000000000000001", "-999999999999999999", "99999999999999999.9",
		"123456789012345678", "-1234567890.12345678", "1e2", "1.5e-3"} {
		cases = append(cases, decimal.RequireFromString(c))
	}
	rng := rand.New(rand.NewPCG(8, 8))
	for range 20000 {
		coef := rng.Int64N(2_000_000_000_000_000_000) - 1_000_000_000_000_000_000
		if rng.IntN(3) == 0 {
			coef = (rng.Int64N(2001) - 1000) * 1000 // short, with trailing zeros
		}
		cases = append(cases, decimal.New(coef, -int32(rng.IntN(19))))
	}
	for _, v := range cases {
		if got, want := FormatDecimal(v), formatBig(v); got != want {
			t.Errorf("FormatDecimal(%s) = %q, math/big path %q", v, got, want)
		}
	}
	if got := FormatDecimal(decimal.New(-1250, -3)); got != "-1.25" {
		t.Errorf("FormatDecimal(-1.250) = %q, want -1.25", got)
	}
}
