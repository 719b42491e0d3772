using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities.GetOpportunity;

public sealed class GetOpportunityHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>One visible opportunity, with whether the caller may change it.</summary>
    public async Task<OpportunityDto> HandleAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await OpportunityAccess.ReadAsync(db, user, id, ct);
    }
}

public static class GetOpportunityEndpoint
{
    public static void MapGetOpportunity(this RouteGroupBuilder group) =>
        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, GetOpportunityHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var opportunity = await handler.HandleAsync(user, id, ct);
                http.Response.Headers.ETag = $"\"{opportunity.Version}\"";
                return TypedResults.Ok(opportunity);
            })
            .RequireAuthorization(Permissions.OpportunitiesRead)
            .WithName("GetOpportunity")
            .WithSummary("One opportunity with its stage, owner, customer, contacts and weighted amount; its version also as ETag.");
}
