using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Audit;

public sealed record HistoryEntryDto(Guid Id, AuditAction Action, string? Field, string? OldValue, string? NewValue,
    DateTime ChangedAt, Guid? ChangedBy, string? ChangedByName);

/// <summary>A record's change history, shown only to those who can see the record.</summary>
public sealed class HistoryHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    public static readonly IReadOnlyList<string> RecordTypes = ["customer", "lead", "team", "user", "option", "holiday", "company"];

    public async Task<IReadOnlyList<HistoryEntryDto>> ListAsync(CurrentUser user, string recordType, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.HistoryRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var visible = recordType switch
        {
            // Deleted customers keep their history; the scope filter still decides who may read it.
            "customer" => await db.Customers.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AnyAsync(c => c.Id == id, ct),
            "lead" => await db.Leads.AnyAsync(l => l.Id == id, ct),
            "team" => user.Has(Permissions.OrgRead) && await db.Teams.AnyAsync(t => t.Id == id, ct),
            "user" => user.Has(Permissions.OrgRead) && await db.Users.AnyAsync(u => u.Id == id, ct),
            "option" => user.Has(Permissions.OptionsRead) && await db.OptionItems.AnyAsync(o => o.Id == id, ct),
            "holiday" => user.Has(Permissions.SettingsRead) && await db.Holidays.AnyAsync(h => h.Id == id, ct),
            "company" => user.Has(Permissions.SettingsRead) && await db.CompanySettings.AnyAsync(c => c.Id == id, ct),
            _ => false,
        };
        if (!visible)
        {
            throw new NotFoundException("The record");
        }

        return await (from a in db.AuditEntries.AsNoTracking()
                      where a.EntityId == id
                      join u in db.Users on a.ChangedBy equals u.Id into changers
                      from u in changers.DefaultIfEmpty()
                      orderby a.ChangedAt descending, a.Id descending
                      select new HistoryEntryDto(a.Id, a.Action, a.Field, a.OldValue, a.NewValue,
                          DateTime.SpecifyKind(a.ChangedAt, DateTimeKind.Utc), a.ChangedBy, u != null ? u.DisplayName : null))
            .Take(500)
            .ToListAsync(ct);
    }
}

public sealed record DeletedRecordDto(string RecordType, Guid Id, string Title, DateTime DeletedAt, Guid? DeletedBy, string? DeletedByName);

/// <summary>The recycle bin: soft-deleted records an Admin can restore (kept at least 30 days; nothing purges them yet).</summary>
public sealed class RecycleBinHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<IReadOnlyList<DeletedRecordDto>> ListAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.RecycleBinManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var customers = await db.Customers.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AsNoTracking()
            .Where(c => c.IsDeleted)
            .Select(c => new { c.Id, c.Name, c.DeletedAt, c.DeletedBy })
            .ToListAsync(ct);
        var names = await db.Users.AsNoTracking().Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return customers
            .Select(c => new DeletedRecordDto(Customer.RecordType, c.Id, c.Name, DateTime.SpecifyKind(c.DeletedAt ?? default, DateTimeKind.Utc),
                c.DeletedBy, c.DeletedBy is { } by ? names.GetValueOrDefault(by) : null))
            .OrderByDescending(r => r.DeletedAt)
            .ToList();
    }

    public async Task RestoreAsync(CurrentUser user, string recordType, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.RecycleBinManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        BusinessRecord? record = recordType switch
        {
            Customer.RecordType => await db.Customers.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter])
                .FirstOrDefaultAsync(c => c.Id == id && c.IsDeleted, ct),
            _ => null,
        };
        if (record is null)
        {
            throw new NotFoundException("The deleted record");
        }

        record.IsDeleted = false;
        record.DeletedAt = null;
        record.DeletedBy = null;
        await db.SaveChangesAsync(ct);
    }
}

public static class AuditModule
{
    public static IServiceCollection AddAudit(this IServiceCollection services) => services
        .AddScoped<HistoryHandler>()
        .AddScoped<RecycleBinHandler>();

    public static void MapAudit(this RouteGroupBuilder api)
    {
        api.MapGet("/history/{recordType}/{id:guid}", async (string recordType, Guid id, CurrentUser user, HistoryHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, recordType, id, ct)))
            .RequireAuthorization(Permissions.HistoryRead)
            .WithTags("History")
            .WithName("RecordHistory")
            .WithSummary("Field-level change history of a record the caller can see (customer, team, user, option, holiday, company).");

        var bin = api.MapGroup("/recycle-bin").WithTags("Recycle bin");
        bin.MapGet("/", async (CurrentUser user, RecycleBinHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, ct)))
            .RequireAuthorization(Permissions.RecycleBinManage)
            .WithName("ListRecycleBin");
        bin.MapPost("/{recordType}/{id:guid}/restore", async (string recordType, Guid id, CurrentUser user, RecycleBinHandler handler, CancellationToken ct) =>
            {
                await handler.RestoreAsync(user, recordType, id, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.RecycleBinManage)
            .WithName("RestoreRecord");
    }
}
