using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;

namespace LeadToCash.Platform.Approvals;

public static class ApprovalsModule
{
    public static IServiceCollection AddApprovals(this IServiceCollection services) => services
        .AddScoped<ApprovalService>()
        .AddScoped<ApprovalFlowEngine>()
        .AddScoped<ApprovalsInbox>()
        .AddScoped<ApprovalDelegationsHandler>()
        .AddScoped<ApprovalFlowsHandler>();

    public static void MapApprovals(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/approvals").WithTags("Approvals").RequireAuthorization(Permissions.ApprovalsDecide);

        group.MapGet("/", async (string? mine, CurrentUser user, ApprovalsInbox inbox, CancellationToken ct) =>
                TypedResults.Ok(await inbox.ListAsync(user, mine, ct)))
            .WithName("ListApprovals")
            .WithSummary("The caller's approvals: ?mine=pending (waiting on the caller's step, the default), decided (steps the caller " +
                "decided) or requested (the caller's own requests); newest first, at most 200; only records the caller may see — except that an " +
                "approver outside a record's data scope (a delegate, a role holder of another team) gets the requests they decide on with the " +
                "record's essentials (subject.title, customerName, amountMinor, reason) and subject.link null: the record itself stays closed to them.");

        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, ApprovalsInbox inbox, CancellationToken ct) =>
                TypedResults.Ok(await inbox.GetAsync(user, id, ct)))
            .WithName("GetApproval")
            .WithSummary("One approval with its steps, the record's lines (subject.lines) and detail (a quote: its lines and totals), for its " +
                "approvers and requester; an approver outside the record's data scope gets the essentials and lines only (no link, no detail).");

        group.MapPost("/{id:guid}/approve", async (Guid id, ApprovalDecisionRequest? request, CurrentUser user, ApprovalsInbox inbox,
                CancellationToken ct) => TypedResults.Ok(await inbox.ApproveAsync(user, id, request ?? new ApprovalDecisionRequest(), ct)))
            .WithName("ApproveApproval")
            .WithSummary("Approve the current step (the caller must be its approver); the last step approves the request. Optional comment.");

        group.MapPost("/{id:guid}/reject", async (Guid id, ApprovalDecisionRequest request, CurrentUser user, ApprovalsInbox inbox,
                CancellationToken ct) => TypedResults.Ok(await inbox.RejectAsync(user, id, request, ct)))
            .WithName("RejectApproval")
            .WithSummary("Reject the request at the current step with a comment (required); the requester is told why.");

        group.MapPost("/{id:guid}/withdraw", async (Guid id, CurrentUser user, ApprovalsInbox inbox, CancellationToken ct) =>
                TypedResults.Ok(await inbox.WithdrawAsync(user, id, ct)))
            .WithName("WithdrawApproval")
            .WithSummary("The requester takes back a pending request: its record returns to draft, to be changed and submitted again " +
                "(a new round; earlier rounds stay readable).");

        group.MapGet("/records/{recordType}/{recordId:guid}", async (string recordType, Guid recordId, CurrentUser user, ApprovalsInbox inbox,
                CancellationToken ct) => TypedResults.Ok(await inbox.ForRecordAsync(user, recordType, recordId, ct)))
            .WithName("ListRecordApprovals")
            .WithSummary("Every approval round of a record (e.g. contract, quote), newest first, with each step's decision: for anyone who may see the record.");

        group.MapGet("/delegations", async (CurrentUser user, ApprovalDelegationsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, ct)))
            .WithName("ListApprovalDelegations")
            .WithSummary("The caller's delegations that have not ended: given (while away, a colleague decides the caller's steps) and received.");

        group.MapPost("/delegations", async (DelegationRequest request, CurrentUser user, ApprovalDelegationsHandler handler, CancellationToken ct) =>
            {
                var created = await handler.CreateAsync(user, request, ct);
                return TypedResults.Created($"/api/v1/approvals/delegations/{created.Id}", created);
            })
            .WithName("CreateApprovalDelegation")
            .WithSummary("Delegate the caller's approval steps to a colleague from startsAt (default now) to endsAt (UTC, at most 90 days); " +
                "one delegation at a time. Each decision records who made it.");

        group.MapDelete("/delegations/{id:guid}", async (Guid id, CurrentUser user, ApprovalDelegationsHandler handler, CancellationToken ct) =>
            {
                await handler.EndAsync(user, id, ct);
                return TypedResults.NoContent();
            })
            .WithName("EndApprovalDelegation")
            .WithSummary("End one of the caller's delegations now.");

        var flows = api.MapGroup("/approval-flows").WithTags("Approvals").RequireAuthorization(Permissions.ApprovalFlowsManage);
        flows.MapGet("/document-types", (ApprovalFlowsHandler handler) => TypedResults.Ok(handler.DocumentTypes()))
            .WithName("ListApprovalDocumentTypes")
            .WithSummary("The document types flows can be defined for, and the fields their conditions may test (amount in major units, discount in percent).");
        flows.MapGet("/", async (string? documentType, CurrentUser user, ApprovalFlowsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, documentType, ct)))
            .WithName("ListApprovalFlows")
            .WithSummary("The approval flows (?documentType=), by type and priority: a document takes the first active flow whose conditions all " +
                "hold; without one, the requester's manager decides alone.");
        flows.MapGet("/{id:guid}", async (Guid id, CurrentUser user, ApprovalFlowsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.GetAsync(user, id, ct)))
            .WithName("GetApprovalFlow");
        flows.MapPost("/", async (ApprovalFlowRequest request, CurrentUser user, ApprovalFlowsHandler handler, CancellationToken ct) =>
            {
                var created = await handler.CreateAsync(user, request, ct);
                return TypedResults.Created($"/api/v1/approval-flows/{created.Id}", created);
            })
            .WithName("CreateApprovalFlow")
            .WithSummary("Define a flow {documentType, name, priority, isActive, conditions: [{field, operator: AtLeast|Below, value}], " +
                "steps: [{kind: Manager|Director|User|Role, userId, roleName}]}. Relative steps are resolved from the document's owner.");
        flows.MapPut("/{id:guid}", async (Guid id, ApprovalFlowRequest request, CurrentUser user, ApprovalFlowsHandler handler, HttpContext http,
                CancellationToken ct) => TypedResults.Ok(await handler.UpdateAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .WithName("UpdateApprovalFlow")
            .WithSummary("Replace a flow's name, priority, conditions and steps (version in the body or If-Match); running requests keep their steps.");
        flows.MapDelete("/{id:guid}", async (Guid id, CurrentUser user, ApprovalFlowsHandler handler, CancellationToken ct) =>
            {
                await handler.DeleteAsync(user, id, ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteApprovalFlow");
    }
}
