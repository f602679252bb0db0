package baseline

import "testing"

func TestRecordName(t *testing.T) {
	cases := map[string]string{
		"Ada Lovelace":      "Ada Lovelace",
		"Seán O'Brien":      "Seán O\u02BCBrien",
		"Seán O\u2019Brien": "Seán O\u02BCBrien",
		"Zoë d'Arc-Noël":    "Zoë d\u02BCArc-Noël",
	}
	for in, want := range cases {
		got := RecordName(in)
		if got != want {
			t.Errorf("RecordName(%q) = %q, want %q", in, got, want)
		}
		if !ValidTagValue(got) {
			t.Errorf("RecordName(%q) = %q is not a valid IAM tag value", in, got)
		}
		if !SameRecordName(in, got) {
			t.Errorf("SameRecordName(%q, %q) = false", in, got)
		}
	}
	for _, bad := range []string{"Smith, Jr.", `Ada "the Countess"`, "a&b", "O'Brien"} {
		if ValidTagValue(bad) {
			t.Errorf("ValidTagValue(%q) = true, IAM refuses it", bad)
		}
	}
}
