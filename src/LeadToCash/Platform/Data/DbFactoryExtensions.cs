using LeadToCash.Platform.Auth;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Data;

public static class DbFactoryExtensions
{
    /// <summary>A context that sees exactly what <paramref name="user"/> may see and records them as the actor.</summary>
    public static async Task<AppDbContext> OpenAsync(this IDbContextFactory<AppDbContext> factory, CurrentUser user,
        CancellationToken ct = default)
    {
        var db = await factory.CreateDbContextAsync(ct);
        return db.WithScope(user.Scope, user.Id);
    }

    /// <summary>A context that sees every record. Only for reviewed system paths (architecture test allow-list).</summary>
    public static async Task<AppDbContext> OpenAsSystemAsync(this IDbContextFactory<AppDbContext> factory,
        CancellationToken ct = default)
    {
        var db = await factory.CreateDbContextAsync(ct);
        return db.WithScope(DataScope.System, null);
    }
}
