package baseline

// PoliciesGrantTheSame reports whether two policy documents grant the same, ignoring what
// PoliciesEquivalent ignores and the statements' Sids, which are labels only. A trust policy made
// in the console (no Sid) and the one the provider renders (with a Sid) then compare equal, so that
// adopting a role shows no change.
func PoliciesGrantTheSame(a, b string) (bool, error) {
	docA, err := ParsePolicy(a)
	if err != nil {
		return false, err
	}
	docB, err := ParsePolicy(b)
	if err != nil {
		return false, err
	}
	for _, d := range []*PolicyDocument{&docA, &docB} {
		for i := range d.Statements {
			d.Statements[i].Sid = ""
		}
	}
	return sameCanonical(docA, docB)
}
