using System.Reflection;
using System.Security.Claims;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;

namespace LeadToCash.Platform.Auth;

/// <summary>
/// The signed-in user as handlers see it: who, which team, which roles and named operations, and the data scope.
/// Minimal-API endpoints take it as a parameter (<see cref="BindAsync"/>); components get it from
/// <see cref="CurrentUserResolver"/>.
/// </summary>
public sealed record CurrentUser(
    Guid Id,
    string DisplayName,
    string Email,
    Guid? TeamId,
    string? TeamName,
    IReadOnlySet<string> Roles,
    IReadOnlySet<string> Permissions,
    DataScope Scope,
    IReadOnlyList<Guid> SubtreeTeamIds)
{
    public bool IsAdmin => Roles.Contains(Auth.Roles.Admin);

    public bool Has(string permission) => Permissions.Contains(permission);

    public void Require(string permission)
    {
        if (!Has(permission))
        {
            throw new ForbiddenException($"This needs the permission '{permission}'.");
        }
    }

    public static async ValueTask<CurrentUser?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var resolver = context.RequestServices.GetRequiredService<CurrentUserResolver>();
        return await resolver.ResolveAsync(context.User, context.RequestAborted)
            ?? throw new UnauthorizedAccessException();
    }

    public static Guid? IdFrom(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
