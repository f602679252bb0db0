package baseline

import "testing"

func TestPoliciesGrantTheSame(t *testing.T) {
	console := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	rendered := `{"Version":"2012-10-17","Statement":[{"Sid":"TrustServices","Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}`
	other := `{"Version":"2012-10-17","Statement":[{"Sid":"TrustServices","Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}`
	if same, err := PoliciesGrantTheSame(console, rendered); err != nil || !same {
		t.Errorf("console-made and rendered EC2 trust: same = %v, %v", same, err)
	}
	if same, _ := PoliciesGrantTheSame(console, other); same {
		t.Error("EC2 and Lambda trust compare the same")
	}
}
