package kingdee

import "time"

// TimeLayout is the layout of Kingdee's date-time fields, such as FDate.
const TimeLayout = "2006-01-02 15:04:05"

// Beijing is the fixed UTC+8 zone in which orderbridge writes Kingdee times.
// A fixed zone needs no zone database.
var Beijing = time.FixedZone("CST", 8*60*60)

// FormatTime writes t in Beijing time with [TimeLayout].
func FormatTime(t time.Time) string {
	return t.In(Beijing).Format(TimeLayout)
}
