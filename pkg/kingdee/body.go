package kingdee

import (
	"bytes"
	"fmt"
	"strconv"
)

// bodyExcerpt bounds the start of an unreadable answer quoted in errors.
const bodyExcerpt = 64

// describeBody says what an answer that is not Kingdee's looks like, for
// an error: empty, or its size and its first bytes (an HTML error page
// from a gateway, a cut JSON text). Answers that are not Kingdee's hold no
// bill data.
func describeBody(body []byte) string {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return fmt.Sprintf("empty body (%d bytes)", len(body))
	}
	head := trimmed[:min(len(trimmed), bodyExcerpt)]
	return fmt.Sprintf("%d bytes starting %s", len(body), strconv.Quote(string(head)))
}
