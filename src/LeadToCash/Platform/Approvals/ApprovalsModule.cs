using LeadToCash.Platform.Auth;

namespace LeadToCash.Platform.Approvals;

public static class ApprovalsModule
{
    public static IServiceCollection AddApprovals(this IServiceCollection services) => services
        .AddScoped<ApprovalService>()
        .AddScoped<ApprovalsInbox>();

    public static void MapApprovals(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/approvals").WithTags("Approvals").RequireAuthorization(Permissions.ApprovalsDecide);

        group.MapGet("/", async (string? mine, CurrentUser user, ApprovalsInbox inbox, CancellationToken ct) =>
                TypedResults.Ok(await inbox.ListAsync(user, mine, ct)))
            .WithName("ListApprovals")
            .WithSummary("The caller's approvals: ?mine=pending (waiting on the caller's step, the default), decided (steps the caller " +
                "decided) or requested (the caller's own requests); newest first, at most 200; only records the caller may see.");

        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, ApprovalsInbox inbox, CancellationToken ct) =>
                TypedResults.Ok(await inbox.GetAsync(user, id, ct)))
            .WithName("GetApproval")
            .WithSummary("One approval with its steps and the record's detail (a quote: its lines and totals), for its approvers and requester.");

        group.MapPost("/{id:guid}/approve", async (Guid id, ApprovalDecisionRequest? request, CurrentUser user, ApprovalsInbox inbox,
                CancellationToken ct) => TypedResults.Ok(await inbox.ApproveAsync(user, id, request ?? new ApprovalDecisionRequest(), ct)))
            .WithName("ApproveApproval")
            .WithSummary("Approve the current step (the caller must be its approver); the last step approves the request. Optional comment.");

        group.MapPost("/{id:guid}/reject", async (Guid id, ApprovalDecisionRequest request, CurrentUser user, ApprovalsInbox inbox,
                CancellationToken ct) => TypedResults.Ok(await inbox.RejectAsync(user, id, request, ct)))
            .WithName("RejectApproval")
            .WithSummary("Reject the request at the current step with a comment (required); the requester is told why.");
    }
}
