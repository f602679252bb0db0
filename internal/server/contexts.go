package server

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/iambaseline/terraform-provider-iambaseline/internal/timing"
)

// releasingServer works around a retention in terraform-plugin-framework (v1.19.0,
// internal/proto6server/serve.go): registerContext wraps every request's context with
// context.WithCancel and appends the CancelFunc to a slice that only StopProvider clears, so each
// request's context stays reachable for the life of the provider process, and with it the
// terraform-plugin-log loggers and fields that terraform-plugin-go hangs on it (10-15 kB per
// request). A plan of 1,000 onboarded users makes some 4,000 requests: 57 MB still live after a
// full collection at exit (heap profile, IAMBASELINE_PPROF_DIR), most of the provider's peak RSS.
//
// The wrapper hands the framework a detachableContext instead: it answers like the request context
// while the request runs, and once the framework returns it forgets the request context, so what
// the framework keeps is a few hundred bytes per request. Cancellation still reaches the framework:
// Done is the request context's channel.
type releasingServer struct {
	tfprotov6.ProviderServer
}

func releaseRequestContexts(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	return releasingServer{s}
}

type detachableContext struct {
	parent   atomic.Pointer[context.Context]
	done     <-chan struct{}
	deadline time.Time
	hasDL    bool
}

func detachable(parent context.Context) *detachableContext {
	c := &detachableContext{done: parent.Done()}
	c.deadline, c.hasDL = parent.Deadline()
	c.parent.Store(&parent)
	return c
}

// detach drops the reference to the request context; afterwards Value answers nil.
func (c *detachableContext) detach() { c.parent.Store(nil) }

func (c *detachableContext) Deadline() (time.Time, bool) { return c.deadline, c.hasDL }
func (c *detachableContext) Done() <-chan struct{}       { return c.done }

func (c *detachableContext) Err() error {
	if p := c.parent.Load(); p != nil {
		return (*p).Err()
	}
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

func (c *detachableContext) Value(key any) any {
	if p := c.parent.Load(); p != nil {
		return (*p).Value(key)
	}
	return nil
}

// call runs one unary RPC of the framework with a detachable context, timing it in timing.RPC.
func call[Req, Resp any](ctx context.Context, req Req, rpc func(context.Context, Req) (Resp, error)) (Resp, error) {
	defer timing.RPC.Start()()
	d := detachable(ctx)
	defer d.detach()
	return rpc(d, req)
}

func (s releasingServer) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return call(ctx, req, s.ProviderServer.GetMetadata)
}

func (s releasingServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return call(ctx, req, s.ProviderServer.GetProviderSchema)
}

func (s releasingServer) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return call(ctx, req, s.ProviderServer.GetResourceIdentitySchemas)
}

func (s releasingServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return call(ctx, req, s.ProviderServer.ValidateProviderConfig)
}

func (s releasingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return call(ctx, req, s.ProviderServer.ConfigureProvider)
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return call(ctx, req, s.ProviderServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return call(ctx, req, s.ProviderServer.UpgradeResourceState)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return call(ctx, req, s.ProviderServer.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return call(ctx, req, s.ProviderServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return call(ctx, req, s.ProviderServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return call(ctx, req, s.ProviderServer.ImportResourceState)
}

func (s releasingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return call(ctx, req, s.ProviderServer.MoveResourceState)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return call(ctx, req, s.ProviderServer.UpgradeResourceIdentity)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return call(ctx, req, s.ProviderServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return call(ctx, req, s.ProviderServer.ReadDataSource)
}

func (s releasingServer) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return call(ctx, req, s.ProviderServer.GetFunctions)
}

func (s releasingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return call(ctx, req, s.ProviderServer.CallFunction)
}
