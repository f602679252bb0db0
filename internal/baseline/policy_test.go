package baseline

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestPolicyRoundTrip(t *testing.T) {
	for name, doc := range goldenDocuments(t) {
		t.Run(name, func(t *testing.T) {
			js, err := doc.JSON()
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := ParsePolicy(js)
			if err != nil {
				t.Fatalf("ParsePolicy(JSON()): %v", err)
			}
			if !reflect.DeepEqual(parsed, doc) {
				t.Errorf("round trip changed the document:\n got %+v\nwant %+v", parsed, doc)
			}
			encoded, err := ParsePolicy(url.PathEscape(js))
			if err != nil {
				t.Fatalf("ParsePolicy(URL-encoded): %v", err)
			}
			if !reflect.DeepEqual(encoded, doc) {
				t.Error("URL-encoded round trip changed the document")
			}
			// encoding/json users get the same document.
			var viaStd PolicyDocument
			if err := json.Unmarshal([]byte(js), &viaStd); err != nil || !reflect.DeepEqual(viaStd, doc) {
				t.Errorf("json.Unmarshal round trip: %v", err)
			}
			compact, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := PoliciesEquivalent(string(compact), js); err != nil || !ok {
				t.Errorf("MarshalJSON and JSON disagree: %v", err)
			}
		})
	}
}

func TestJSONIsDeterministic(t *testing.T) {
	doc := PolicyDocument{Version: PolicyVersion, ID: "x", Statements: []Statement{{
		Sid: "S", Effect: EffectAllow, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/<&>"},
		Principal: &Principal{Service: []string{"ec2.amazonaws.com"}, AWS: []string{"arn:aws:iam::123456789012:root"}},
		Condition: map[string]map[string][]string{
			"StringLike":      {"s3:prefix": {"home/", "b"}, "aws:userid": {"AID*"}, "aws:SourceVpc": {"vpc-1"}},
			"Bool":            {"aws:SecureTransport": {"true"}},
			"IpAddress":       {"aws:SourceIp": {"10.0.0.0/8"}},
			"StringNotEquals": {"aws:RequestedRegion": {"us-east-1"}},
		},
	}}}
	first, err := doc.JSON()
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		if again, _ := doc.JSON(); again != first {
			t.Fatal("the same document rendered to different bytes")
		}
	}
	want := []string{`"Sid"`, `"Effect"`, `"Principal"`, `"AWS"`, `"Service"`, `"Action"`, `"Resource"`, `"Condition"`,
		`"Bool"`, `"IpAddress"`, `"StringLike"`, `"aws:SourceVpc"`, `"aws:userid"`, `"s3:prefix"`, `"StringNotEquals"`}
	last := -1
	for _, key := range want {
		i := strings.Index(first, key)
		if i <= last {
			t.Fatalf("key %s out of order in\n%s", key, first)
		}
		last = i
	}
	if !strings.Contains(first, "b/<&>") {
		t.Error("rendered JSON escapes HTML characters")
	}
	if !strings.Contains(first, `"Id": "x"`) || !strings.Contains(first, "\n  \"Statement\"") {
		t.Errorf("unexpected layout:\n%s", first)
	}
}

func TestParsePolicyAcceptsIAMShapes(t *testing.T) {
	const in = `{
	  "Version": "2012-10-17",
	  "Id": "doc",
	  "Statement": {
	    "Sid": "One",
	    "Effect": "Allow",
	    "Principal": {"Service": "ec2.amazonaws.com", "AWS": ["123456789012", "arn:aws:iam::210987654321:root"]},
	    "Action": "sts:AssumeRole",
	    "NotResource": "arn:aws:s3:::x",
	    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": true}, "NumericLessThan": {"aws:MultiFactorAuthAge": [3600, "7200"]}}
	  }
	}`
	doc, err := ParsePolicy(in)
	if err != nil {
		t.Fatal(err)
	}
	want := PolicyDocument{Version: PolicyVersion, ID: "doc", Statements: []Statement{{
		Sid: "One", Effect: EffectAllow,
		Principal:   &Principal{Service: []string{"ec2.amazonaws.com"}, AWS: []string{"123456789012", "arn:aws:iam::210987654321:root"}},
		Action:      []string{"sts:AssumeRole"},
		NotResource: []string{"arn:aws:s3:::x"},
		Condition: map[string]map[string][]string{
			"Bool":            {"aws:MultiFactorAuthPresent": {"true"}},
			"NumericLessThan": {"aws:MultiFactorAuthAge": {"3600", "7200"}},
		},
	}}}
	if !reflect.DeepEqual(doc, want) {
		t.Fatalf("got %+v\nwant %+v", doc, want)
	}

	star, err := ParsePolicy(`{"Statement":[{"Effect":"Deny","NotPrincipal":"*","NotAction":["s3:*"],"Resource":"*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if s := star.Statements[0]; s.NotPrincipal == nil || !s.NotPrincipal.Any || !slices.Equal(s.NotAction, []string{"s3:*"}) || star.Version != "" {
		t.Errorf("got %+v", star)
	}

	// What the IAM API returns: URL-encoded, with + never standing for space
	// in practice but %20 for spaces inside values.
	encoded := url.PathEscape(`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}]}`)
	if !strings.HasPrefix(encoded, "%7B") {
		t.Fatalf("test premise: %q", encoded)
	}
	doc, err = ParsePolicy("  " + strings.ToLower(encoded[:3]) + encoded[3:])
	if err != nil {
		t.Fatal(err)
	}
	if doc.Statements[0].Sid != "A" || doc.Statements[0].Resource[0] != "arn:aws:s3:::b" {
		t.Errorf("URL-encoded document parsed as %+v", doc)
	}
}

func TestParsePolicyErrors(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"empty", "  ", "empty"},
		{"not JSON", "{", "not valid JSON"},
		{"array", `[]`, "JSON object"},
		{"trailing garbage", `{"Statement":[]} x`, "not valid JSON"},
		{"bad URL encoding", "%7B%zz", "URL-encoded"},
		{"no statement", `{"Version":"2012-10-17"}`, `no "Statement"`},
		{"unknown top-level element", `{"Statement":[],"Statements":[]}`, `"Statements"`},
		{"bad version", `{"Version":"2020-01-01","Statement":[]}`, "Version"},
		{"statement not object", `{"Statement":["x"]}`, "statement 0 must be a JSON object"},
		{"statement scalar", `{"Statement":"x"}`, "Statement"},
		{"lowercase effect", `{"Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}`, "Effect"},
		{"no effect", `{"Statement":[{"Action":"*","Resource":"*"}]}`, "Effect"},
		{"no action", `{"Statement":[{"Sid":"X","Effect":"Allow","Resource":"*"}]}`, "statement 0 (X)"},
		{"empty action list", `{"Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}`, "required"},
		{"action and not action", `{"Statement":[{"Effect":"Allow","Action":"a:b","NotAction":"c:d"}]}`, "not both"},
		{"resource and not resource", `{"Statement":[{"Effect":"Allow","Action":"a:b","Resource":"*","NotResource":"x"}]}`, "not both"},
		{"principal and not principal", `{"Statement":[{"Effect":"Allow","Action":"a:b","Principal":"*","NotPrincipal":"*"}]}`, "not both"},
		{"action not string", `{"Statement":[{"Effect":"Allow","Action":5}]}`, "string or a list"},
		{"action list of numbers", `{"Statement":[{"Effect":"Allow","Action":[1]}]}`, "string or a list"},
		{"principal string", `{"Statement":[{"Effect":"Allow","Action":"a:b","Principal":"arn:aws:iam::1:root"}]}`, `must be "*"`},
		{"principal type", `{"Statement":[{"Effect":"Allow","Action":"a:b","Principal":{"Account":"1"}}]}`, "principal type"},
		{"unknown statement element", `{"Statement":[{"Effect":"Allow","Action":"a:b","Resources":"*"}]}`, `"Resources"`},
		{"condition not object", `{"Statement":[{"Effect":"Allow","Action":"a:b","Condition":[]}]}`, "Condition"},
		{"condition value object", `{"Statement":[{"Effect":"Allow","Action":"a:b","Condition":{"Bool":{"k":{}}}}]}`, "condition Bool k"},
		{"condition null", `{"Statement":[{"Effect":"Allow","Action":"a:b","Condition":{"Bool":{"k":null}}}]}`, "condition Bool k"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePolicy(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ParsePolicy(%s) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
		})
	}
}

func TestPoliciesEquivalent(t *testing.T) {
	const base = `{"Version":"2012-10-17","Statement":[
	  {"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::b/*","arn:aws:s3:::c/*"],
	   "Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]},"Bool":{"aws:SecureTransport":"true"}}},
	  {"Effect":"Deny","NotAction":"iam:*","Resource":"*"},
	  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root","Service":["ec2.amazonaws.com"]},"Action":"sts:AssumeRole"}
	]}`
	tests := []struct {
		name  string
		other string
		want  bool
	}{
		{"identical", base, true},
		{"whitespace, key order and statement order", `{
		  "Statement": [
		    {"Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com", "AWS": ["123456789012"]}, "Effect": "Allow"},
		    {"Resource": ["*"], "NotAction": ["iam:*"], "Effect": "Deny", "Sid": ""},
		    {"Condition": {"Bool": {"aws:SecureTransport": true}, "StringEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1", "us-east-1"]}},
		     "Resource": ["arn:aws:s3:::c/*", "arn:aws:s3:::b/*"], "Action": ["s3:PutObject", "s3:GetObject"], "Effect": "Allow", "Sid": "A"}
		  ],
		  "Version": "2012-10-17"
		}`, true},
		{"URL-encoded as IAM does (RFC 3986)", url.PathEscape(base), true},
		{"changed action", strings.Replace(base, `"s3:PutObject"`, `"s3:DeleteObject"`, 1), false},
		{"extra action", strings.Replace(base, `"s3:PutObject"`, `"s3:PutObject","s3:DeleteObject"`, 1), false},
		{"changed effect", strings.Replace(base, `"Effect":"Deny"`, `"Effect":"Allow"`, 1), false},
		{"changed resource", strings.Replace(base, `arn:aws:s3:::c/*`, `arn:aws:s3:::d/*`, 1), false},
		{"changed condition value", strings.Replace(base, `"eu-west-1"`, `"eu-west-2"`, 1), false},
		{"changed condition operator", strings.Replace(base, `"StringEquals"`, `"StringLike"`, 1), false},
		{"changed sid", strings.Replace(base, `"Sid":"A"`, `"Sid":"B"`, 1), false},
		{"Action versus NotAction", strings.Replace(base, `"NotAction":"iam:*"`, `"Action":"iam:*"`, 1), false},
		{"changed principal", strings.Replace(base, `123456789012`, `210987654321`, 1), false},
		{"dropped statement", strings.Replace(base, `{"Effect":"Deny","NotAction":"iam:*","Resource":"*"},`, ``, 1), false},
		{"changed version", strings.Replace(base, `2012-10-17`, `2008-10-17`, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PoliciesEquivalent(base, tt.other)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("PoliciesEquivalent = %v, want %v", got, tt.want)
			}
			back, err := PoliciesEquivalent(tt.other, base)
			if err != nil || back != got {
				t.Errorf("not symmetric: %v, %v", back, err)
			}
		})
	}
	if _, err := PoliciesEquivalent(base, "{"); err == nil {
		t.Error("an invalid second document is not an error")
	}
	if _, err := PoliciesEquivalent("nope", base); err == nil {
		t.Error("an invalid first document is not an error")
	}
	star, _ := PoliciesEquivalent(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}}`,
		`{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["s3:GetObject"]}}`)
	if !star {
		t.Error(`"*" and {"AWS":"*"} are the same principal`)
	}
}

func TestTrustPolicy(t *testing.T) {
	t.Run("services only", func(t *testing.T) {
		doc := TrustPolicy([]string{"lambda.amazonaws.com", "ec2.amazonaws.com", "ec2.amazonaws.com"}, nil, true, "ignored-for-services")
		if len(doc.Statements) != 1 {
			t.Fatalf("want one statement, got %+v", doc.Statements)
		}
		s := doc.Statements[0]
		if !slices.Equal(s.Principal.Service, []string{"ec2.amazonaws.com", "lambda.amazonaws.com"}) ||
			!slices.Equal(s.Action, []string{"sts:AssumeRole"}) || s.Effect != EffectAllow || s.Condition != nil {
			t.Errorf("service statement = %+v", s)
		}
	})
	t.Run("accounts with MFA and external ID", func(t *testing.T) {
		doc := TrustPolicy(nil, []string{"123456789012", "arn:aws-cn:iam::210987654321:root"}, true, "ext-42")
		if len(doc.Statements) != 1 {
			t.Fatalf("want one statement, got %+v", doc.Statements)
		}
		s := doc.Statements[0]
		if !slices.Equal(s.Principal.AWS, []string{"arn:aws-cn:iam::210987654321:root", "arn:aws:iam::123456789012:root"}) {
			t.Errorf("account principals = %v", s.Principal.AWS)
		}
		if !slices.Equal(s.Condition["Bool"]["aws:MultiFactorAuthPresent"], []string{"true"}) {
			t.Errorf("MFA condition = %v", s.Condition)
		}
		if !slices.Equal(s.Condition["StringEquals"]["sts:ExternalId"], []string{"ext-42"}) {
			t.Errorf("external ID condition = %v", s.Condition)
		}
	})
	t.Run("both kinds in separate statements", func(t *testing.T) {
		doc := TrustPolicy([]string{"ec2.amazonaws.com"}, []string{"123456789012"}, false, "")
		if len(doc.Statements) != 2 || doc.Statements[0].Principal.Service == nil || doc.Statements[1].Principal.AWS == nil {
			t.Fatalf("got %+v", doc.Statements)
		}
		if doc.Statements[1].Condition != nil {
			t.Errorf("unconstrained account statement has a condition: %v", doc.Statements[1].Condition)
		}
		for _, s := range doc.Statements {
			if s.Principal.AWS != nil && s.Principal.Service != nil {
				t.Error("services and accounts share a statement")
			}
		}
	})
	t.Run("IAM rewrites account IDs; still equivalent", func(t *testing.T) {
		ours, _ := TrustPolicy(nil, []string{"123456789012"}, false, "").JSON()
		theirs := `{"Version":"2012-10-17","Statement":[{"Sid":"TrustAccounts","Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}]}`
		if ok, err := PoliciesEquivalent(ours, theirs); err != nil || !ok {
			t.Errorf("account ID and root ARN not equivalent: %v", err)
		}
	})
}

// FuzzParsePolicy: parsing never panics, and whatever parses renders to JSON
// that parses back to a document rendering to the same bytes, equivalent to
// the input.
func FuzzParsePolicy(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
	f.Add(`{"Statement":{"Effect":"Deny","NotAction":["iam:*"],"NotResource":"x","Condition":{"Bool":{"k":[true,1,"s"]}}}}`)
	f.Add(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*"},{"Effect":"Allow","Principal":{"AWS":[],"Service":null},"Action":"a"}]}`)
	f.Add(`%7B%22Statement%22%3A%5B%5D%7D`)
	f.Add(`{"Statement":[{"Effect":"Allow","Action":"a","Condition":{"X":{}}}]}`)
	f.Add(`{"Statement":null}`)
	f.Add(`{"Statement":[{"Effect":"Allow","Action":"a","Sid":"\u0000\ud800"}]}`)
	for _, doc := range []PolicyDocument{MFAPolicy(true), TrustPolicy([]string{"ec2.amazonaws.com"}, []string{"1"}, true, "x")} {
		js, _ := doc.JSON()
		f.Add(js)
	}
	f.Fuzz(func(t *testing.T, in string) {
		doc, err := ParsePolicy(in)
		if err != nil {
			return
		}
		first, err := doc.JSON()
		if err != nil {
			t.Fatalf("parsed document does not render: %v", err)
		}
		again, err := ParsePolicy(first)
		if err != nil {
			t.Fatalf("rendered document does not parse: %v\n%s", err, first)
		}
		second, err := again.JSON()
		if err != nil || second != first {
			t.Fatalf("render is not stable:\n%s\n%s", first, second)
		}
		if ok, err := PoliciesEquivalent(in, first); err != nil || !ok {
			t.Fatalf("rendering is not equivalent to the input (%v):\n%s", err, first)
		}
	})
}
