package kingdee

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// secretMask is the fixed key that Kingdee XORs with the second part of an
// AppID to derive the client secret of the signature mode.
const secretMask = "0054f397c6234378b09ca7d3e5debce7"

// Header names of the signature mode.
const (
	HeaderClientID    = "X-Api-ClientID"
	HeaderAuthVersion = "X-Api-Auth-Version"
	HeaderTimestamp   = "X-Api-Timestamp"
	HeaderNonce       = "X-Api-Nonce"
	HeaderSignHeaders = "X-Api-SignHeaders"
	HeaderSignature   = "X-Api-Signature"
	HeaderAppKey      = "X-Kd-Appkey"
	HeaderAppData     = "X-Kd-Appdata"
	HeaderKdSignature = "X-Kd-Signature"
)

// LoginSign returns the sign of AuthService.LoginBySign: the lower-case hex
// SHA-256 of the five strings sorted and concatenated.
func LoginSign(acctID, username, appID, appSecret, timestamp string) string {
	parts := []string{acctID, username, appID, appSecret, timestamp}
	slices.Sort(parts)
	sum := sha256.Sum256([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

// ClientID returns the client id of the signature mode: the part of appID
// before its first underscore.
func ClientID(appID string) string {
	id, _, _ := strings.Cut(appID, "_")
	return id
}

// ClientSecret derives the client secret of the signature mode from appID
// ("<client id>_<base64>"). It returns an error wrapping ErrInvalidConfig
// when appID has no second part or that part is not base64 of at most 32
// bytes.
func ClientSecret(appID string) (string, error) {
	_, enc, ok := strings.Cut(appID, "_")
	if !ok {
		return "", fmt.Errorf("%w: app id has no '_'", ErrInvalidConfig)
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(raw) > len(secretMask) {
		return "", fmt.Errorf("%w: app id secret part is not valid", ErrInvalidConfig)
	}
	for i := range raw {
		raw[i] ^= secretMask[i]
	}
	return base64.StdEncoding.EncodeToString(raw), nil
}

// APISignature returns X-Api-Signature for a POST to path (the URL path,
// such as /k3cloud/...Save.common.kdsvc) signed with clientSecret.
func APISignature(clientSecret, path, nonce, timestamp string) string {
	escaped := strings.ReplaceAll(url.PathEscape(path), "/", "%2F")
	msg := "POST\n" + escaped + "\n\n" +
		"x-api-nonce:" + nonce + "\n" +
		"x-api-timestamp:" + timestamp + "\n"
	return hmacHexBase64(clientSecret, msg)
}

// AppData returns the plain X-Kd-Appdata text: acct, user, lcid and
// organisation joined by commas. The header carries it in base64.
func AppData(acctID, username string, lcid int, orgNumber string) string {
	return acctID + "," + username + "," + strconv.Itoa(lcid) + "," + orgNumber
}

// AppDataSignature returns X-Kd-Signature for the plain app data.
func AppDataSignature(appID, appSecret, appData string) string {
	return hmacHexBase64(appSecret, appID+appData)
}

// hmacHexBase64 is base64(hex(HMAC-SHA256(key, msg))), Kingdee's encoding.
func hmacHexBase64(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	hexSum := hex.EncodeToString(m.Sum(nil))
	return base64.StdEncoding.EncodeToString([]byte(hexSum))
}

// signHeaders sets the signature mode's headers on h for a POST to path.
func (c *Client) signHeaders(h http.Header, path, timestamp, nonce string) {
	appData := AppData(c.cfg.AcctID, c.cfg.Username, c.cfg.LCID, c.cfg.OrgNumber)

	h.Set(HeaderClientID, ClientID(c.cfg.AppID))
	h.Set(HeaderAuthVersion, "2.0")
	h.Set(HeaderTimestamp, timestamp)
	h.Set(HeaderNonce, nonce)
	h.Set(HeaderSignHeaders, "x-api-timestamp,x-api-nonce")
	h.Set(HeaderSignature, APISignature(c.clientSecret, path, nonce, timestamp))
	h.Set(HeaderAppKey, c.cfg.AppID)
	h.Set(HeaderAppData, base64.StdEncoding.EncodeToString([]byte(appData)))
	h.Set(HeaderKdSignature, AppDataSignature(c.cfg.AppID, c.cfg.AppSecret, appData))
}
