using LeadToCash.Modules.Customers;
using LeadToCash.Modules.FollowUps.Activity;
using LeadToCash.Modules.FollowUps.EditFollowUp;
using LeadToCash.Modules.FollowUps.Jobs;
using LeadToCash.Modules.FollowUps.ListFollowUps;
using LeadToCash.Modules.FollowUps.LogFollowUp;
using LeadToCash.Modules.FollowUps.Settings;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Files;
using LeadToCash.Platform.Jobs;

namespace LeadToCash.Modules.FollowUps;

/// <summary>Follow-up records (跟进记录), their files, the cadence by grade (跟进频率) and its reminders, and the customer rules.</summary>
public static class FollowUpsModule
{
    public static IServiceCollection AddFollowUps(this IServiceCollection services) => services
        .AddScoped<LogFollowUpHandler>()
        .AddScoped<ListFollowUpsHandler>()
        .AddScoped<EditFollowUpHandler>()
        .AddScoped<FollowUpActivityHandler>()
        .AddScoped<FollowUpsDueHandler>()
        .AddScoped<CustomerSettingsHandler>()
        .AddSingleton<IAttachmentParent, FollowUpAttachments>()
        .AddScoped<ICustomerTimelineSource, FollowUpTimelineSource>()
        .AddScheduledWork<FollowUpMorningReminderJob>("followups.morning-reminder", TimeSpan.FromMinutes(1));

    public static void MapFollowUps(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers").WithTags("Follow-ups");
        customers.MapLogFollowUp();
        customers.MapListFollowUps();

        var followUps = api.MapGroup("/follow-ups").WithTags("Follow-ups");
        followUps.MapFollowUpActivity();
        followUps.MapFollowUpsDue();
        followUps.MapGetFollowUp();
        followUps.MapEditFollowUp();

        api.MapCustomerSettings();
    }

    private static void MapFollowUpsDue(this RouteGroupBuilder followUps)
    {
        followUps.MapGet("/due", async (string? state, Guid? ownerId, int? limit, string? cursor, string? sort, CurrentUser user,
                FollowUpsDueHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, FollowUpsDueHandler.ParseState(state), ownerId, new ListRequest(limit, cursor, sort), ct)))
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("ListFollowUpsDue")
            .WithSummary("Owned customers the caller can see whose cadence asks for a follow-up: ?state=dueToday|overdue (default both)&ownerId=" +
                "&limit=&cursor=&sort=dueAt|name; each with grade, last contact, due date and days overdue (company dates).");
        followUps.MapGet("/due/counts", async (Guid? ownerId, CurrentUser user, FollowUpsDueHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.CountsAsync(user, ownerId, ct)))
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("CountFollowUpsDue")
            .WithSummary("How many follow-ups are due today and overdue over the customers the caller can see (?ownerId= for one owner).");
        followUps.MapGet("/due/by-rep", async (CurrentUser user, FollowUpsDueHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ByRepAsync(user, ct)))
            .RequireAuthorization(Permissions.CustomersAssign)
            .WithName("FollowUpsDueByRep")
            .WithSummary("For managers: per rep of their team subtree, the follow-ups due today and overdue.");
    }
}
