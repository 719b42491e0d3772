using FluentValidation;
using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.Pool;

/// <summary>
/// A team's customer pool rules in force. <see cref="HasOverride"/>: the team has its own (then <see cref="Version"/> is
/// the override's version); otherwise they come from <see cref="InheritedFromTeamId"/> (a team above) or, when that is
/// null, the company defaults.
/// </summary>
public sealed record TeamPoolRuleDto(
    Guid TeamId,
    string TeamName,
    Guid? ParentId,
    int Depth,
    bool HasOverride,
    int NoFollowUpDays,
    int NoWonDealDays,
    int ClaimLimit,
    Guid? InheritedFromTeamId,
    string? InheritedFromTeamName,
    int? Version);

public sealed record PoolRulesDto(int NoFollowUpDays, int NoWonDealDays, int ClaimLimit, IReadOnlyList<TeamPoolRuleDto> Teams);

/// <summary>A team's own pool rules. <see cref="Version"/>: the override's version when changing one (also If-Match).</summary>
public sealed record PutPoolRuleRequest(int NoFollowUpDays, int NoWonDealDays, int ClaimLimit, int? Version = null);

public sealed class PutPoolRuleValidator : AbstractValidator<PutPoolRuleRequest>
{
    public PutPoolRuleValidator()
    {
        RuleFor(x => x.NoFollowUpDays).InclusiveBetween(1, 3650);
        RuleFor(x => x.NoWonDealDays).InclusiveBetween(1, 3650);
        RuleFor(x => x.ClaimLimit).InclusiveBetween(0, 100_000);
    }
}

/// <summary>The per-team customer pool rules (no follow-up days, no won deal days, claim limit), edited by an Admin.</summary>
public sealed class PoolRulesHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    private static readonly PutPoolRuleValidator Validator = new();

    public async Task<PoolRulesDto> ListAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var rules = await PoolRulebook.LoadAsync(db, ct);
        var teams = new List<TeamPoolRuleDto>();
        foreach (var (team, depth) in Flatten(rules.Tree))
        {
            var rule = rules.For(team.Id);
            var own = rules.Overrides.GetValueOrDefault(team.Id);
            var from = own is null ? rule.SetByTeamId : null;
            teams.Add(new TeamPoolRuleDto(team.Id, team.Name, team.ParentId, depth, own is not null, rule.NoFollowUpDays, rule.NoWonDealDays,
                rule.ClaimLimit, from, from is { } id ? rules.Tree.Find(id)?.Name : null, own?.Version));
        }

        return new PoolRulesDto(rules.Company.PoolNoFollowUpDays, rules.Company.PoolNoWonDealDays, rules.Company.ClaimLimit, teams);
    }

    public async Task<PoolRulesDto> PutAsync(CurrentUser user, Guid teamId, PutPoolRuleRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using (var db = await dbFactory.OpenAsync(user, ct))
        {
            if (!await db.Teams.AnyAsync(t => t.Id == teamId, ct))
            {
                throw new NotFoundException("The team");
            }

            // A removed override stays as a soft-deleted row (its team key is unique): setting rules again brings it back.
            var rule = await db.CustomerPoolRules.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).FirstOrDefaultAsync(r => r.TeamId == teamId, ct);
            if (rule is null)
            {
                rule = new CustomerPoolRule { TeamId = teamId };
                db.CustomerPoolRules.Add(rule);
            }
            else if (rule.IsDeleted)
            {
                rule.IsDeleted = false;
                rule.DeletedAt = null;
                rule.DeletedBy = null;
            }
            else
            {
                Versioning.EnsureVersion(rule.Version, request.Version ?? rule.Version);
            }

            rule.NoFollowUpDays = request.NoFollowUpDays;
            rule.NoWonDealDays = request.NoWonDealDays;
            rule.ClaimLimit = request.ClaimLimit;
            await db.SaveChangesAsync(ct);
        }

        return await ListAsync(user, ct);
    }

    /// <summary>Removes a team's own rules: it follows the team above it (or the company) again.</summary>
    public async Task<PoolRulesDto> DeleteAsync(CurrentUser user, Guid teamId, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await using (var db = await dbFactory.OpenAsync(user, ct))
        {
            var rule = await db.CustomerPoolRules.FirstOrDefaultAsync(r => r.TeamId == teamId, ct)
                ?? throw new NotFoundException("The team's pool rules");
            // Soft deleted (the history keeps it); a later override of the team revives the row.
            db.CustomerPoolRules.Remove(rule);
            await db.SaveChangesAsync(ct);
        }

        return await ListAsync(user, ct);
    }

    /// <summary>The teams in tree order (parents before their children, siblings by name) with their depth.</summary>
    private static IEnumerable<(TeamNode Team, int Depth)> Flatten(TeamTree tree)
    {
        var children = tree.Teams.ToLookup(t => t.ParentId);
        var roots = tree.Teams.Where(t => t.ParentId is null || tree.Find(t.ParentId.Value) is null);
        var stack = new Stack<(TeamNode, int)>(roots.OrderByDescending(t => t.Name, StringComparer.Ordinal).Select(t => (t, 0)));
        var seen = new HashSet<Guid>();
        while (stack.Count > 0)
        {
            var (team, depth) = stack.Pop();
            if (!seen.Add(team.Id))
            {
                continue;
            }

            yield return (team, depth);
            foreach (var child in children[team.Id].OrderByDescending(t => t.Name, StringComparer.Ordinal))
            {
                stack.Push((child, depth + 1));
            }
        }
    }
}

public static class PoolRulesEndpoints
{
    public static void MapPoolRules(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/customer-pool/rules").WithTags("Customers").RequireAuthorization(Permissions.SettingsManage);
        group.MapGet("/", async (CurrentUser user, PoolRulesHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.ListAsync(user, ct)))
            .WithName("ListCustomerPoolRules")
            .WithSummary("Every team with the customer pool rules in force: its own, a team's above it, or the company's defaults.");
        group.MapPut("/{teamId:guid}", async (Guid teamId, PutPoolRuleRequest request, CurrentUser user, PoolRulesHandler handler,
                HttpRequest http, CancellationToken ct) =>
            {
                var version = request.Version ?? (http.Headers.IfMatch.Count > 0 ? Platform.Api.VersionHeader.Required(null, http) : null);
                return TypedResults.Ok(await handler.PutAsync(user, teamId, request with { Version = version }, ct));
            })
            .WithName("PutCustomerPoolRule")
            .WithSummary("Set a team's own pool rules (days without a follow-up, days without a won deal, claim limit; 0 = no limit). " +
                "Changing existing rules takes their version (body or If-Match).");
        group.MapDelete("/{teamId:guid}", async (Guid teamId, CurrentUser user, PoolRulesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.DeleteAsync(user, teamId, ct)))
            .WithName("DeleteCustomerPoolRule")
            .WithSummary("Remove a team's own pool rules: it follows the team above it, or the company's defaults, again.");
    }
}
