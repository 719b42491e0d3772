using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;

namespace LeadToCash.Modules.Leads.Settings;

public static class LeadSettingsModule
{
    public static IServiceCollection AddLeadSettings(this IServiceCollection services) => services.AddScoped<LeadSettingsHandler>();

    /// <summary>The lead rules under /api/v1/settings/leads.</summary>
    public static void MapLeadSettings(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings/leads").WithTags("Lead rules");
        group.MapGet("/", async (CurrentUser user, LeadSettingsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.GetAsync(user, ct)))
            .RequireAuthorization(Permissions.SettingsRead)
            .WithName("GetLeadSettings")
            .WithSummary("Duplicate mode, score rules and grade thresholds, screening, assignment, SLA; version 0 = the defaults, never saved.");
        group.MapPut("/", async (LeadSettingsDto request, CurrentUser user, LeadSettingsHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.SettingsManage)
            .WithName("UpdateLeadSettings")
            .WithSummary("Save the lead rules; send the version you read (0 for the first save). Budget in minor units (分).");
        group.MapGet("/roster", async (CurrentUser user, LeadSettingsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.RosterAsync(user, ct)))
            .RequireAuthorization(Permissions.LeadsAssign)
            .WithName("GetLeadRoster")
            .WithSummary("Teams with automatic grade confirmation, and the reps the assignment rules choose from (all for an Admin, else your teams).");
        group.MapPut("/teams/{teamId:guid}", async (Guid teamId, SetTeamAutoConfirmRequest request, CurrentUser user,
                LeadSettingsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.SetTeamAutoConfirmAsync(user, teamId, request, ct)))
            .RequireAuthorization(Permissions.SettingsManage)
            .WithName("SetTeamLeadAutoConfirm")
            .WithSummary("Let the score rules confirm new leads' grades in this team (no manual screening).");
        group.MapPut("/reps/{userId:guid}", async (Guid userId, SetRepAvailabilityRequest request, CurrentUser user,
                LeadSettingsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.SetRepAvailabilityAsync(user, userId, request, ct)))
            .RequireAuthorization(Permissions.LeadsAssign)
            .WithName("SetRepLeadAvailability")
            .WithSummary("Mark a rep away (on leave) so that the assignment rules pass them over; a manager for the reps of their teams.");
    }
}
