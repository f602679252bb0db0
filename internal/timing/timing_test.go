package timing

import (
	"testing"
	"time"
)

func TestUnionCountsOverlapOnce(t *testing.T) {
	clock := time.Unix(0, 0)
	u := &Union{now: func() time.Time { return clock }}
	step := func(d time.Duration) { clock = clock.Add(d) }

	endA := u.Start() // A: 0..3
	step(time.Second)
	endB := u.Start() // B: 1..5, overlaps A
	step(2 * time.Second)
	endA()
	endA() // a second call changes nothing
	step(2 * time.Second)
	if got := u.Total(); got != 5*time.Second {
		t.Fatalf("open interval: Total() = %v, want 5s", got)
	}
	endB()
	step(10 * time.Second) // idle: not counted
	endC := u.Start()      // C: 15..16
	step(time.Second)
	endC()
	if got := u.Total(); got != 6*time.Second {
		t.Fatalf("Total() = %v, want 6s (A∪B = 5s, C = 1s, idle gaps not counted)", got)
	}
}
