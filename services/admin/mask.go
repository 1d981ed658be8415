package admin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// masked replaces the value of a buyer field.
const masked = "***"

// buyerFields are the JST fields that identify a buyer, beyond the rule
// of isBuyerField.
var buyerFields = map[string]bool{
	"receiver_name": true, "receiver_mobile": true, "receiver_phone": true,
	"receiver_address": true, "shop_buyer_id": true, "buyer_message": true,
}

// isBuyerField reports whether a JSON key names buyer data: a known field,
// any field starting with receiver (receiver_state, receiverName) or any
// field containing buyer.
func isBuyerField(key string) bool {
	k := strings.ToLower(key)
	return buyerFields[k] || strings.HasPrefix(k, "receiver") || strings.Contains(k, "buyer")
}

// maskJSON returns data with the value of every buyer field, at any depth,
// replaced by "***", keeping the order of keys. It returns data unchanged
// when it is not valid JSON.
func maskJSON(data []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out bytes.Buffer
	tok, err := dec.Token()
	if err == nil {
		err = writeMasked(dec, &out, tok, false)
	}
	if err != nil {
		return data
	}
	return out.Bytes()
}

// writeMasked writes the value that starts with tok, masking its scalars
// when mask is set or a buyer field holds them.
func writeMasked(dec *json.Decoder, out *bytes.Buffer, tok json.Token, mask bool) error {
	switch t := tok.(type) {
	case json.Delim:
		return writeContainer(dec, out, t, mask)
	case nil:
		out.WriteString("null")
		return nil
	}
	if mask {
		out.WriteString(`"` + masked + `"`)
		return nil
	}
	return writeJSON(out, tok)
}

// writeJSON writes v as JSON without escaping <, > and &.
func writeJSON(out *bytes.Buffer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	out.Truncate(out.Len() - 1) // Encode's newline
	return nil
}

func writeContainer(dec *json.Decoder, out *bytes.Buffer, open json.Delim, mask bool) error {
	obj := open == '{'
	out.WriteByte(byte(open))
	for i := 0; dec.More(); i++ {
		if i > 0 {
			out.WriteByte(',')
		}
		fieldMask := mask
		if obj {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			key, ok := kt.(string)
			if !ok {
				return fmt.Errorf("mask: key %v is not a string", kt)
			}
			if err := writeJSON(out, key); err != nil {
				return err
			}
			out.WriteByte(':')
			fieldMask = mask || isBuyerField(key)
		}
		vt, err := dec.Token()
		if err != nil {
			return err
		}
		if err := writeMasked(dec, out, vt, fieldMask); err != nil {
			return err
		}
	}
	end, err := dec.Token()
	if err != nil {
		return err
	}
	out.WriteByte(byte(end.(json.Delim)))
	return nil
}

// indentJSON writes data indented by two spaces.
func indentJSON(w io.Writer, data []byte) error {
	var b bytes.Buffer
	if err := json.Indent(&b, data, "", "  "); err != nil {
		return err
	}
	_, err := b.WriteTo(w)
	return err
}
