// Package awssso is the AWS I/O of IAM Identity Center: sso-admin (instances, permission sets, their
// policies, provisioning, account assignments) and identitystore (groups, users, memberships). It
// has awsiam's shape: clients built from the provider's configuration (awsiam.Client.ServiceConfig:
// the same credentials, region, retries and call counting), finders returning typed not-found
// errors, bounded retries, and orchestration over a spec in named steps (ApplyBaseline) that
// converge on re-run. It returns its own types, never SDK types, and knows nothing of Terraform.
package awssso

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/awsiam"
)

// Endpoint keys of the provider's endpoints block (and of AWS_ENDPOINT_URL_<KEY>, which the SDK
// reads by itself).
const (
	EndpointSSOAdmin      = "ssoadmin"
	EndpointIdentityStore = "identitystore"
)

// Client talks to sso-admin and identitystore.
type Client struct {
	iam      *awsiam.Client
	admin    ssoAdminAPI
	store    identityStoreAPI
	accounts *accountLocks
	backoff  backoff
	memo     *memo
}

// memo is what one provider configuration learns once and reuses in every resource: the instance
// (it does not change while Terraform runs) and identity-store group names by id. The provider
// builds one Client per configuration and hands it to every resource.
type memo struct {
	mu         sync.Mutex
	instances  map[string]Instance // by the instance_arn asked for ("" for the default)
	groupNames map[string]string   // group id => display name
}

func newMemo() *memo {
	return &memo{instances: map[string]Instance{}, groupNames: map[string]string{}}
}

func (m *memo) instance(arn string) (Instance, bool) {
	if m == nil {
		return Instance{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	in, ok := m.instances[arn]
	return in, ok
}

func (m *memo) setInstance(arn string, in Instance) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.instances[arn] = in
}

func (m *memo) groupName(id string) (string, bool) {
	if m == nil {
		return "", false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.groupNames[id]
	return n, ok
}

func (m *memo) setGroupName(id, name string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.groupNames[id] = name
}

// New builds the clients from the configuration the provider gave awsiam.
func New(c *awsiam.Client) *Client {
	cfg, adminURL := c.ServiceConfig(EndpointSSOAdmin)
	_, storeURL := c.ServiceConfig(EndpointIdentityStore)
	return &Client{
		iam:      c,
		accounts: &accountLocks{},
		memo:     newMemo(),
		admin: ssoadmin.NewFromConfig(cfg, func(o *ssoadmin.Options) {
			if adminURL != "" {
				o.BaseEndpoint = aws.String(adminURL)
			}
		}),
		store: identitystore.NewFromConfig(cfg, func(o *identitystore.Options) {
			if storeURL != "" {
				o.BaseEndpoint = aws.String(storeURL)
			}
		}),
		backoff: defaultBackoff,
	}
}

// AccountID is the caller's account.
func (c *Client) AccountID(ctx context.Context) (string, error) { return c.iam.AccountID(ctx) }

// Region is the region of the clients: the instance's region, which aws configure sso asks for.
func (c *Client) Region() string {
	cfg, _ := c.iam.ServiceConfig(EndpointSSOAdmin)
	return cfg.Region
}

// Partition is the AWS partition of the region.
func (c *Client) Partition() string { return c.iam.Partition }

// accountLocks serializes the writes of one account, across every resource of the configuration: Identity Center answers ConflictException to
// concurrent provisioning and assignment operations on one account.
type accountLocks struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

func (l *accountLocks) lock(account string) func() {
	if l == nil {
		return func() {}
	}
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*sync.Mutex{}
	}
	m, ok := l.locks[account]
	if !ok {
		m = &sync.Mutex{}
		l.locks[account] = m
	}
	l.mu.Unlock()
	m.Lock()
	return m.Unlock
}
