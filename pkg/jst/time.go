package jst

import (
	"fmt"
	"time"
)

// TimeLayout is the layout of every JST time: Beijing time, to the second,
// with no offset.
const TimeLayout = "2006-01-02 15:04:05"

// Beijing is the fixed UTC+8 zone in which JST writes its times. A fixed zone
// needs no zone database, so it works in images built on scratch.
var Beijing = time.FixedZone("CST", 8*60*60)

// ParseTime parses a JST time written in Beijing time. An empty string gives
// the zero time and no error.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(TimeLayout, s, Beijing)
	if err != nil {
		return time.Time{}, fmt.Errorf("jst: time %q: want %q", s, TimeLayout)
	}
	return t, nil
}

// FormatTime writes t as JST expects it: Beijing time, to the second.
func FormatTime(t time.Time) string {
	return t.In(Beijing).Format(TimeLayout)
}
