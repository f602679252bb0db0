package awsiam

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/baseline"
)

// The credential report, read first and generated only when needed. GetCredentialReport answers
// ReportNotPresent when there is none, ReportExpired when the last one is older than 4 hours and
// ReportInProgress while one is being generated; so a successful GetCredentialReport returns exactly
// the report GenerateCredentialReport would have reused (it reuses one younger than 4 hours), at the
// cost of one request instead of two or three. Only ReportNotPresent / ReportExpired lead to one
// GenerateCredentialReport, then GetCredentialReport polled on ReportInProgress.
//
// How the report was obtained says how fresh it is (never its GeneratedTime, which emulators fake):
// a report this process generated describes the account as of this run (fresh, see
// credentialReport.freshAt); a report it found already there may be up to 4 hours old (reused).

// credentialReportWait bounds the polling of GetCredentialReport while a report is being generated.
var credentialReportWait = struct {
	Attempts int
	Delay    time.Duration
}{Attempts: 15, Delay: 2 * time.Second}

// credentialReport is the parsed report and how it was obtained.
type credentialReport struct {
	rows        []CredentialRow
	byUser      map[string]CredentialRow
	generatedAt time.Time // as AWS says; informative only
	// generatedHere: this process sent the GenerateCredentialReport that produced it, at write
	// generation writeGen of the client's call counter.
	generatedHere bool
	writeGen      uint64
	// downloadGen is the write generation when it was downloaded: after a write of this process it
	// is downloaded again at the next need, as the snapshot is reloaded (on AWS that is the same
	// report while it is younger than 4 hours; an emulator may have a newer one).
	downloadGen uint64
}

func newCredentialReport(rows []CredentialRow, generatedAt time.Time) *credentialReport {
	r := &credentialReport{rows: rows, generatedAt: generatedAt, byUser: make(map[string]CredentialRow, len(rows))}
	for _, row := range rows {
		r.byUser[row.User] = row
	}
	return r
}

// reportState is what the client knows of the account's credential report, loaded at most once per
// client (a failure is remembered too, so that a refresh asks at most once).
type reportState struct {
	// probed: configure sent GetCredentialReport and the answer (report, or none yet) is below.
	probed bool
	// absent: the probe answered ReportNotPresent or ReportExpired: the loader generates one.
	absent bool
	// inProgress: the probe answered ReportInProgress: the loader polls, without generating.
	inProgress bool
	report     *credentialReport
	err        error
}

// freshAt tells whether the report describes the account as a live read would: this process
// generated it, and has written nothing since.
func (r *credentialReport) freshAt(writeGen uint64) bool {
	return r != nil && r.generatedHere && r.writeGen == writeGen
}

// row returns the report's row of a user, if it has one of this very user (not of an earlier user
// of the same name).
func (r *credentialReport) row(name, arn string, created time.Time) (CredentialRow, bool) {
	if r == nil {
		return CredentialRow{}, false
	}
	row, ok := r.byUser[name]
	if !ok || !sameUser(row, arn, created) {
		return CredentialRow{}, false
	}
	return row, true
}

// accountID is the account of the report's rows: the root row's ARN, else any user's.
func (r *credentialReport) accountID() string {
	id := ""
	for _, row := range r.rows {
		if a := accountOfARN(row.ARN); a != "" {
			if row.User == RootAccountReportUserName {
				return a
			}
			if id == "" {
				id = a
			}
		}
	}
	return id
}

// accountOfARN is the account field of an ARN (baseline.ARNAccount), kept only when it is an account
// ID: "" for what is not an ARN and for AWS managed policies ("aws").
func accountOfARN(arn string) string {
	if a := baseline.ARNAccount(arn); strings.HasPrefix(arn, "arn:") && len(a) == 12 {
		return a
	}
	return ""
}

// isReportMissing: GetCredentialReport has nothing to give until a report is generated.
func isReportMissing(err error) bool { return HasCode(err, "ReportNotPresent", "ReportExpired") }

// probeCredentialReport is configure's credential check when no account list needs the caller
// identity: one GetCredentialReport, an authenticated IAM request that the refresh needs anyway.
// A report is kept as the reused report; ReportNotPresent / ReportExpired / ReportInProgress prove
// the credentials and leave the generation to the first Read that needs it. It returns the error
// unanswered when the request says nothing about the credentials (AccessDenied, an endpoint that does
// not implement it, ...): the caller then validates with sts:GetCallerIdentity as before.
func (c *Client) probeCredentialReport(ctx context.Context) (fallback error, err error) {
	c.reportMu.Lock()
	defer c.reportMu.Unlock()
	out, err := c.iamAPI.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	switch {
	case err == nil:
		c.report.probed = true
		rows, perr := ParseCredentialReport(out.Content)
		if perr != nil {
			c.report.err = perr
			return nil, nil
		}
		c.report.report = newCredentialReport(rows, aws.ToTime(out.GeneratedTime))
		c.report.report.downloadGen = c.Calls.WriteGeneration()
		c.learnAccountID(c.report.report.accountID())
		return nil, nil
	case isReportMissing(err):
		c.report.probed, c.report.absent = true, true
		return nil, nil
	case HasCode(err, "ReportInProgress"):
		c.report.probed, c.report.inProgress = true, true
		return nil, nil
	case ctx.Err() != nil, credentialsRejected(err), credentialsExpired(err), isNetworkError(err):
		return nil, err
	case HasCode(err, "AccessDenied", "AccessDeniedException"):
		// The refresh would be refused the same: remember it, the MFA path falls back per user.
		c.report.probed, c.report.err = true, fmt.Errorf("downloading the IAM credential report: %w", err)
	}
	return err, nil
}

// loadCredentialReport returns the credential report, obtaining it on first use only: the one
// configure read, else GetCredentialReport, and only when there is none (or it expired)
// GenerateCredentialReport once and GetCredentialReport polled while it is in progress.
func (c *Client) loadCredentialReport(ctx context.Context) (*credentialReport, error) {
	c.reportMu.Lock()
	defer c.reportMu.Unlock()
	st := &c.report
	if st.report != nil && st.report.downloadGen != c.Calls.WriteGeneration() {
		*st = reportState{} // this process wrote since: ask again (a failure stays remembered)
	}
	if st.report != nil || st.err != nil {
		return st.report, st.err
	}
	// generate: there is no report (or it expired); otherwise one is in progress (or appeared since).
	generate := st.absent
	if !st.probed {
		out, err := c.iamAPI.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
		switch {
		case err == nil:
			return c.keepReport(out, false, 0)
		case isReportMissing(err):
			generate = true
		case HasCode(err, "ReportInProgress"):
		case ctx.Err() != nil:
			return nil, err // cancelled: not a verdict on the report
		default:
			st.err = fmt.Errorf("downloading the IAM credential report: %w", err)
			return nil, st.err
		}
	}
	writeGen := c.Calls.WriteGeneration()
	if generate {
		if _, err := c.iamAPI.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}); err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			st.err = fmt.Errorf("generating the IAM credential report: %w", err)
			return nil, st.err
		}
	}
	// A report another process had in progress is polled the same way, but is not this run's.
	for attempt := 1; ; attempt++ {
		out, err := c.iamAPI.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
		if err == nil {
			return c.keepReport(out, generate, writeGen)
		}
		if ctx.Err() != nil {
			return nil, err
		}
		if !HasCode(err, "ReportInProgress") {
			st.err = fmt.Errorf("downloading the IAM credential report: %w", err)
			return nil, st.err
		}
		if attempt >= credentialReportWait.Attempts {
			st.err = fmt.Errorf("the IAM credential report was still %s after %d attempts", ErrorCode(err), attempt)
			return nil, st.err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(credentialReportWait.Delay):
		}
	}
}

// keepReport parses and remembers a downloaded report (the caller holds reportMu).
func (c *Client) keepReport(out *iam.GetCredentialReportOutput, generatedHere bool, writeGen uint64) (*credentialReport, error) {
	rows, err := ParseCredentialReport(out.Content)
	if err != nil {
		c.report.err = err
		return nil, err
	}
	r := newCredentialReport(rows, aws.ToTime(out.GeneratedTime))
	r.generatedHere, r.writeGen, r.downloadGen = generatedHere, writeGen, c.Calls.WriteGeneration()
	c.report.report = r
	c.learnAccountID(r.accountID())
	return r, nil
}

// freshReport returns the credential report when it is as fresh as a live read (generated by this
// process, nothing written since), loading it if needed; nil otherwise, or when it cannot be had.
func (c *Client) freshReport(ctx context.Context) (*credentialReport, error) {
	r, err := c.loadCredentialReport(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, nil
	}
	if !r.freshAt(c.Calls.WriteGeneration()) {
		return nil, nil
	}
	return r, nil
}
