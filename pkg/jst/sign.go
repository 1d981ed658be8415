package jst

import (
	"crypto/md5"
	"encoding/hex"
	"sort"
	"strings"
)

// SignOpenAPI returns the open API signature of params: the lower-case hex
// MD5 of secret followed by every key and value, keys in byte order. The
// sign parameter itself and parameters with an empty value are left out.
func SignOpenAPI(secret string, params map[string]string) string {
	var b strings.Builder
	b.WriteString(secret)
	writeSorted(&b, params)
	return md5Hex(b.String())
}

// SignLegacy returns the signature of the legacy partner API (query.aspx):
// the lower-case hex MD5 of method, partnerID, "token", token, "ts", ts and
// partnerKey, in that order.
func SignLegacy(method, partnerID, token, ts, partnerKey string) string {
	return md5Hex(method + partnerID + "token" + token + "ts" + ts + partnerKey)
}

// SignQimen returns the signature of a Qimen gateway request: the upper-case
// hex MD5 of secret, every non-empty key and value in key order (sign left
// out), and secret again.
func SignQimen(secret string, params map[string]string) string {
	var b strings.Builder
	b.WriteString(secret)
	writeSorted(&b, params)
	b.WriteString(secret)
	return strings.ToUpper(md5Hex(b.String()))
}

// writeSorted appends k+v for every key of params but sign, in byte order of
// the keys, skipping empty values.
func writeSorted(b *strings.Builder, params map[string]string) {
	keys := make([]string, 0, len(params))
	for k, v := range params {
		if k == "sign" || v == "" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)

	for _, k := range keys {
		b.WriteString(k)
		b.WriteString(params[k])
	}
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}
