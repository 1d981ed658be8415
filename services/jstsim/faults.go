package jstsim

import (
	"encoding/json"
	"fmt"
	"time"
)

// Faults are failures the simulator injects into open API answers (never
// into /sim/). Rates are probabilities from 0 to 1, drawn from a random
// source seeded by Options.Seed.
type Faults struct {
	// Latency delays every answer.
	Latency time.Duration

	// ServerErrorRate is the share of requests answered with HTTP 500
	// before any check; they are not counted against the rate limits.
	ServerErrorRate float64

	// MalformedRate is the share of answers cut off half way, so that the
	// body is not valid JSON.
	MalformedRate float64
}

// faultsJSON is the JSON form of Faults: latency is a Go duration string
// such as "250ms", or a number of milliseconds.
type faultsJSON struct {
	Latency         json.RawMessage `json:"latency,omitempty"`
	ServerErrorRate float64         `json:"server_error_rate"`
	MalformedRate   float64         `json:"malformed_rate"`
}

// MarshalJSON writes f with its latency as a duration string.
func (f Faults) MarshalJSON() ([]byte, error) {
	lat, _ := json.Marshal(f.Latency.String())
	return json.Marshal(faultsJSON{lat, f.ServerErrorRate, f.MalformedRate})
}

// UnmarshalJSON reads f from its JSON form. It returns an error for a
// latency that is neither a duration string nor a number.
func (f *Faults) UnmarshalJSON(b []byte) error {
	var j faultsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	var lat time.Duration
	if s, ok := scalarText(j.Latency); ok {
		var err error
		if j.Latency[0] == '"' {
			lat, err = time.ParseDuration(s)
		} else {
			var ms float64
			ms, err = parseFloat(s)
			lat = time.Duration(ms * float64(time.Millisecond))
		}
		if err != nil {
			return fmt.Errorf("jstsim: faults: latency %s: %w", j.Latency, err)
		}
	}
	*f = Faults{
		Latency:         lat,
		ServerErrorRate: j.ServerErrorRate,
		MalformedRate:   j.MalformedRate,
	}
	return nil
}

// validate reports an error for a negative latency or a rate outside 0..1.
func (f Faults) validate() error {
	switch {
	case f.Latency < 0:
		return fmt.Errorf("jstsim: faults: negative latency %s", f.Latency)
	case f.ServerErrorRate < 0 || f.ServerErrorRate > 1:
		return fmt.Errorf("jstsim: faults: server error rate %g not in 0..1",
			f.ServerErrorRate)
	case f.MalformedRate < 0 || f.MalformedRate > 1:
		return fmt.Errorf("jstsim: faults: malformed rate %g not in 0..1", f.MalformedRate)
	}
	return nil
}

// SetFaults replaces the injected faults. It returns an error, and changes
// nothing, for a negative latency or a rate outside 0..1.
func (s *Sim) SetFaults(f Faults) error {
	if err := f.validate(); err != nil {
		return err
	}
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
	return nil
}

// Faults returns the faults in force.
func (s *Sim) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// faultPlan is what happens to one request.
type faultPlan struct {
	latency     time.Duration
	serverError bool
	malformed   bool
}

func (s *Sim) planFaults() faultPlan {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	p := faultPlan{latency: f.Latency}
	if f.ServerErrorRate > 0 {
		p.serverError = s.faultRNG.Float64() < f.ServerErrorRate
	}
	if f.MalformedRate > 0 && !p.serverError {
		p.malformed = s.faultRNG.Float64() < f.MalformedRate
	}
	return p
}

func parseFloat(s string) (float64, error) {
	var v float64
	_, err := fmt.Sscan(s, &v)
	return v, err
}
