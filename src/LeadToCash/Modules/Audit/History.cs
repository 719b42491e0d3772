using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Audit;

public sealed record HistoryEntryDto(Guid Id, AuditAction Action, string? Field, string? OldValue, string? NewValue,
    DateTime ChangedAt, Guid? ChangedBy, string? ChangedByName)
{
    /// <summary>
    /// For a field that holds another record's id (a customer's parent company, an owner, a team): the name of the record
    /// in <see cref="OldValue"/>, when the caller can see it.
    /// </summary>
    public string? OldName { get; init; }

    /// <summary>The name of the record in <see cref="NewValue"/> (see <see cref="OldName"/>).</summary>
    public string? NewName { get; init; }

    /// <summary>
    /// Change: a field of the record changed (<see cref="Field"/>, <see cref="OldValue"/>, <see cref="NewValue"/>). Approval: an event
    /// of the record's approval (<see cref="Approval"/>; <see cref="Field"/> is "approval.submitted", "approval.approved",
    /// "approval.rejected", "approval.withdrawn" or "approval.cancelled", <see cref="NewValue"/> the reason or the comment, and
    /// <see cref="ChangedBy"/> who acted: the requester, the decider — perhaps a delegate — or who ended the round).
    /// </summary>
    public HistoryEntryKind Kind { get; init; }

    /// <summary>The approval event of an Approval entry.</summary>
    public HistoryApprovalDto? Approval { get; init; }
}

public enum HistoryEntryKind
{
    Change = 0,
    Approval = 1,
}

/// <summary>
/// An approval event in a record's history: the round, and for a decision the step, whose step it was (a person, or anyone
/// holding <see cref="ApproverRole"/>) and the comment; for a submission the reason, in the reader's language.
/// </summary>
public sealed record HistoryApprovalDto(ApprovalEventKind Event, Guid RequestId, int Round, int? StepNo, string? Role, string? ApproverRole,
    Guid? ApproverId, string? ApproverName, string? Comment, string? Reason)
{
    /// <summary>A named approver's step decided by someone else: their delegate.</summary>
    public bool DecidedByDelegate { get; init; }
}

/// <summary>
/// A record's history, shown only to those who can see the record: its field changes and, for records that are approved
/// (contracts, quotes), the events of their approval rounds, newest first.
/// </summary>
public sealed class HistoryHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    public const int MaxEntries = 500;

    public static readonly IReadOnlyList<string> RecordTypes =
        ["customer", "lead", "team", "user", "option", "holiday", "company", NegotiationMinutes.RecordType, Contract.RecordType, Quote.RecordType];

    private enum Referenced
    {
        Customer = 0,
        User = 1,
        Team = 2,
    }

    /// <summary>The fields that hold another record's id, by record type: the history names that record.</summary>
    private static readonly Dictionary<(string RecordType, string Field), Referenced> References = new()
    {
        [(Customer.RecordType, nameof(Customer.ParentId))] = Referenced.Customer,
        [(Customer.RecordType, nameof(Customer.OwnerId))] = Referenced.User,
        [(Customer.RecordType, nameof(Customer.PoolTeamId))] = Referenced.Team,
        [(Lead.RecordType, nameof(Lead.OwnerId))] = Referenced.User,
        [(Lead.RecordType, nameof(Lead.TeamId))] = Referenced.Team,
        [(Lead.RecordType, nameof(Lead.PoolTeamId))] = Referenced.Team,
        [(Lead.RecordType, nameof(Lead.ConvertedCustomerId))] = Referenced.Customer,
    };

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
            // Minutes are reached through their (scoped) opportunity; their bottom lines are not audited at all.
            NegotiationMinutes.RecordType => user.Has(Permissions.NegotiationsRead)
                && await db.NegotiationMinutes.AnyAsync(m => m.Id == id && db.Opportunities.Any(o => o.Id == m.OpportunityId), ct),
            Contract.RecordType => user.Has(Permissions.ContractsRead) && await db.Contracts.AnyAsync(c => c.Id == id, ct),
            // A quote (each version) is seen through its scoped opportunity.
            Quote.RecordType => user.Has(Permissions.QuotesRead)
                && await db.Quotes.AnyAsync(q => q.Id == id && db.Opportunities.Any(o => o.Id == q.OpportunityId), ct),
            _ => false,
        };
        if (!visible)
        {
            throw new NotFoundException("The record");
        }

        var entries = await (from a in db.AuditEntries.AsNoTracking()
                             where a.EntityId == id
                             join u in db.Users on a.ChangedBy equals u.Id into changers
                             from u in changers.DefaultIfEmpty()
                             orderby a.ChangedAt descending, a.Id descending
                             select new HistoryEntryDto(a.Id, a.Action, a.Field, a.OldValue, a.NewValue,
                                 DateTime.SpecifyKind(a.ChangedAt, DateTimeKind.Utc), a.ChangedBy, u != null ? u.DisplayName : null))
            .Take(MaxEntries)
            .ToListAsync(ct);
        var changes = await NameReferencesAsync(db, recordType, entries, ct);
        var approvals = await ApprovalHistory.ForRecordAsync(db, recordType, id, ct);
        if (approvals.Count == 0)
        {
            return changes;
        }

        // Both lists are newest first; at the same moment a change comes before the approval event that caused it (the
        // contract becomes Approved when its last step is).
        return [.. changes.Select((e, i) => (Entry: e, Source: 0, Index: i))
            .Concat(approvals.Select((e, i) => (Entry: ApprovalEntry(e), Source: 1, Index: i)))
            .OrderByDescending(x => x.Entry.ChangedAt)
            .ThenBy(x => x.Source)
            .ThenBy(x => x.Index)
            .Take(MaxEntries)
            .Select(x => x.Entry)];
    }

    private static HistoryEntryDto ApprovalEntry(ApprovalEvent e) =>
        new(e.Id, AuditAction.Updated, "approval." + e.Kind.ToString().ToLowerInvariant(), null,
            e.Kind == ApprovalEventKind.Submitted ? e.Reason : e.Comment, e.At, e.ActorId, e.ActorName)
        {
            Kind = HistoryEntryKind.Approval,
            Approval = new HistoryApprovalDto(e.Kind, e.RequestId, e.Round, e.StepNo, e.Role, e.ApproverRole, e.ApproverId, e.ApproverName,
                e.Comment, e.Reason)
            {
                DecidedByDelegate = e.ApproverId is { } approver && e.ActorId is { } actor && approver != actor,
            },
        };

    /// <summary>
    /// Adds the names of the records that reference fields point at. Customers are read through the caller's scope (a
    /// parent company they cannot see stays unnamed); a deleted one is still named, as its own history is.
    /// </summary>
    private static async Task<IReadOnlyList<HistoryEntryDto>> NameReferencesAsync(AppDbContext db, string recordType,
        List<HistoryEntryDto> entries, CancellationToken ct)
    {
        Referenced? TargetOf(HistoryEntryDto e) =>
            e.Field is { } field && References.TryGetValue((recordType, field), out var target) ? target : null;

        var ids = entries
            .Where(e => TargetOf(e) is not null)
            .SelectMany(e => new[] { e.OldValue, e.NewValue }.Select(v => (Target: TargetOf(e)!.Value, Value: v)))
            .Select(x => (x.Target, Id: Guid.TryParse(x.Value, out var g) ? g : (Guid?)null))
            .Where(x => x.Id is not null)
            .GroupBy(x => x.Target)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Id!.Value).Distinct().ToList());
        if (ids.Count == 0)
        {
            return entries;
        }

        var names = new Dictionary<(Referenced, Guid), string>();
        if (ids.TryGetValue(Referenced.Customer, out var customerIds))
        {
            foreach (var c in await db.Customers.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AsNoTracking()
                         .Where(c => customerIds.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct))
            {
                names[(Referenced.Customer, c.Id)] = c.Name;
            }
        }

        if (ids.TryGetValue(Referenced.User, out var userIds))
        {
            foreach (var u in await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct))
            {
                names[(Referenced.User, u.Id)] = u.DisplayName;
            }
        }

        if (ids.TryGetValue(Referenced.Team, out var teamIds))
        {
            foreach (var t in await db.Teams.AsNoTracking().Where(t => teamIds.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToListAsync(ct))
            {
                names[(Referenced.Team, t.Id)] = t.Name;
            }
        }

        string? Name(Referenced? target, string? value) =>
            target is { } t && Guid.TryParse(value, out var id) && names.TryGetValue((t, id), out var name) ? name : null;

        return [.. entries.Select(e => TargetOf(e) is { } target
            ? e with { OldName = Name(target, e.OldValue), NewName = Name(target, e.NewValue) }
            : e)];
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
            .WithSummary("History of a record the caller can see (customer, lead, team, user, option, holiday, company, negotiation, " +
                "contract, quote), newest first, at most 500 entries: field changes (kind Change) and, for contracts and quotes, the " +
                "approval events (kind Approval, field approval.submitted|approved|rejected|withdrawn|cancelled, with the round, step, " +
                "approver, who decided and the comment or reason).");

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
