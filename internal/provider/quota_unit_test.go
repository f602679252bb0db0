package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// limitIAM answers one action with IAM's LimitExceeded (HTTP 409) and passes every other request to
// the recorder, which records it too.
type limitIAM struct {
	rec             *iamRecorder
	action, message string
}

func (l *limitIAM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	if form.Get("Action") != l.action {
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		l.rec.ServeHTTP(w, r)
		return
	}
	l.rec.mu.Lock()
	l.rec.requests = append(l.rec.requests, form)
	l.rec.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusConflict)
	fmt.Fprintf(w, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>LimitExceeded</Code>`+
		`<Message>%s</Message></Error><RequestId>1</RequestId></ErrorResponse>`, l.message)
}

func newHandlerHarness(t *testing.T, handler http.Handler) *protoHarness {
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAFAKE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "fake")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_IAM", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_MAX_ATTEMPTS", "")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	h := newProtoHarness(t)
	endpoints := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"iam": tftypes.String, "sts": tftypes.String}}
	h.configure(map[string]tftypes.Value{
		"skip_credentials_validation": boolean(true),
		"endpoints":                   tftypes.NewValue(endpoints, map[string]tftypes.Value{"iam": str(srv.URL), "sts": str(srv.URL)}),
	})
	return h
}

// TestOnboardedUserLimitExceededDiagnostic proves, from the requests sent, that when IAM refuses a
// membership with LimitExceeded (the user is already in 10 groups, some added outside Terraform),
// the apply's diagnostic says so in plain words with the way out, and the request is not retried.
func TestOnboardedUserLimitExceededDiagnostic(t *testing.T) {
	rec := &iamRecorder{answers: map[string]string{
		"GetCallerIdentity": `<Arn>arn:aws:iam::123456789012:user/admin</Arn><UserId>AIDAADMIN</UserId><Account>123456789012</Account>`,
		"CreateUser":        cannedUser,
	}}
	h := newHandlerHarness(t, &limitIAM{rec: rec, action: "AddUserToGroup", message: "Cannot exceed quota for GroupsPerUser: 10"})
	config := h.config(map[string]tftypes.Value{
		"user_name": str("ada"), "full_name": str("Ada Lovelace"), "email": str("ada@example.com"),
		"groups": stringSetValue("Developers"), "console_access": boolean(false),
	})
	failOnDiags(t, "validate", h.validate(config, false))
	null := tftypes.NewValue(h.typ, nil)
	planned, private := h.plan(null, config)
	_, diags := h.apply(null, planned, config, private)
	got := errorsOf(diags)
	for _, want := range []string{
		"IAM refused to add IAM user (ada) to group (Developers)",
		"the user is already in 10 groups, the IAM quota of groups per user",
		"Remove the user from a group it no longer needs",
		"retrying cannot clear",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("diagnostic does not say %q:\n%s", want, got)
		}
	}
	if n := len(rec.find("AddUserToGroup")); n != 1 {
		t.Errorf("AddUserToGroup sent %d times, want once: LimitExceeded is not retryable", n)
	}
}
