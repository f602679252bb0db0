package faultproxy

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// Recorded is one request that reached the emulator, kept when Config.Record is set, so that the
// benchmark can send the same requests again without Terraform and the provider (internal/bench's
// floor replay).
type Recorded struct {
	Action string
	Method string
	Path   string // path and query
	Header http.Header
	Body   []byte
	Status int
	// Start and End are when the proxy began forwarding and when the emulator's answer was copied
	// back: a replay keeps the order of every pair where one ended before the other started.
	Start, End time.Time
}

// Recorded returns the requests recorded since the last ResetCounters, in the order they started.
func (p *Proxy) Recorded() []Recorded {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Recorded(nil), p.recorded...)
}

// statusRecorder remembers the status code an http.ResponseWriter was given.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// forwardRecording forwards like forward and keeps the request, its timing and its status.
func (p *Proxy) forwardRecording(w http.ResponseWriter, r *http.Request, action string, forward func(http.ResponseWriter, *http.Request)) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		_ = r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	rec := Recorded{Action: action, Method: r.Method, Path: r.URL.RequestURI(), Header: r.Header.Clone(), Body: body}
	sw := &statusRecorder{ResponseWriter: w}
	rec.Start = time.Now()
	forward(sw, r)
	rec.End = time.Now()
	rec.Status = sw.status
	p.mu.Lock()
	p.recorded = append(p.recorded, rec)
	p.mu.Unlock()
}
