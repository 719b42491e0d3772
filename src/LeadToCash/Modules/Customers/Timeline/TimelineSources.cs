using System.Globalization;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Customers.Timeline;

/// <summary>
/// Where the customer came from: the leads converted into it (the lead's conversion, or a contact created from a lead),
/// as "LeadCreated" (captured, with its channel) and "LeadConverted" (with who converted it). Only leads the caller can
/// see are shown, like everywhere else.
/// </summary>
internal sealed class LeadOriginTimelineSource : ICustomerTimelineSource
{
    // A customer comes from a lead or two: they are read whole and their events inside the window returned.
    public async Task<TimelineSlice> ReadAsync(AppDbContext db, Guid customerId, TimelineWindow window, CancellationToken ct)
    {
        // Two index lookups (the contacts' source leads first), not one OR that would scan every lead.
        var viaContacts = await db.Contacts.AsNoTracking()
            .Where(c => c.CustomerId == customerId && c.SourceLeadId != null)
            .Select(c => c.SourceLeadId!.Value)
            .ToListAsync(ct);
        var converted = nameof(LeadStatus.Converted);
        var leads = await db.Leads.AsNoTracking()
            .Where(l => l.ConvertedCustomerId == customerId || viaContacts.Contains(l.Id))
            .Select(l => new
            {
                l.Id,
                l.CompanyName,
                l.ContactName,
                l.SourceChannel,
                l.CreatedAt,
                l.CreatedBy,
                l.ConvertedAt,
                ConvertedBy = db.AuditEntries
                    .Where(a => a.EntityId == l.Id && a.Field == nameof(Lead.Status) && a.NewValue == converted)
                    .OrderByDescending(a => a.ChangedAt)
                    .Select(a => a.ChangedBy)
                    .FirstOrDefault(),
            })
            .ToListAsync(ct);
        if (leads.Count == 0)
        {
            return TimelineSlice.Empty;
        }

        var people = leads.Select(l => l.CreatedBy).Concat(leads.Select(l => l.ConvertedBy)).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var channels = await TimelineText.OptionLabelsAsync(db, OptionLists.SourceChannels, ct);
        var entries = new List<TimelineEntry>();
        foreach (var lead in leads)
        {
            var name = lead.CompanyName ?? lead.ContactName ?? "";
            var link = $"/leads/{lead.Id}";
            entries.Add(new TimelineEntry(TimelineText.Utc(lead.CreatedAt), "LeadCreated", name, channels.GetValueOrDefault(lead.SourceChannel, lead.SourceChannel),
                link, lead.CreatedBy, Name(lead.CreatedBy), lead.Id));
            if (lead.ConvertedAt is { } at)
            {
                entries.Add(new TimelineEntry(TimelineText.Utc(at), "LeadConverted", name, null, link, lead.ConvertedBy, Name(lead.ConvertedBy), lead.Id));
            }
        }

        return new TimelineSlice(entries.Where(e => window.Contains(e.At)).ToList());

        string? Name(Guid? id) => id is { } known ? names.GetValueOrDefault(known) : null;
    }
}

/// <summary>
/// The change history of the customer and its contacts (also deleted ones): one entry per save, with each changed field
/// as "label: old → new" in the caller's language, ids shown as names. The follow-up clocks, which move with every
/// follow-up (already on the timeline), are left out.
/// </summary>
internal sealed class ChangesTimelineSource(IStringLocalizer<SharedResource> strings) : ICustomerTimelineSource
{
    private static readonly string[] Hidden =
    [
        nameof(Customer.LastFollowUpAt), nameof(Customer.NextFollowUpAt), nameof(Customer.FollowUpDueAt), nameof(Customer.OwnedSince),
        nameof(Customer.ReturnedToPoolAt), nameof(Customer.LastWonAt), nameof(Customer.ImportKey), nameof(Contact.CustomerId),
    ];

    public async Task<TimelineSlice> ReadAsync(AppDbContext db, Guid customerId, TimelineWindow window, CancellationToken ct)
    {
        // Deleted contacts too: "contact removed" belongs on the timeline. Contacts are reached through the customer,
        // whose visibility the caller has checked; only the SoftDelete filter is ignored.
        var contacts = await db.Contacts.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AsNoTracking()
            .Where(c => c.CustomerId == customerId)
            .ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var ids = contacts.Keys.Append(customerId).ToList();
        // A save writes a row per changed field: ten rows a page's entry is a fair allowance.
        var (rows, completeFrom) = await (window with { Limit = window.Limit * 10 }).NewestAsync(
            db.AuditEntries.AsNoTracking().Where(a => ids.Contains(a.EntityId) && (a.Field == null || !Hidden.Contains(a.Field))),
            a => a.ChangedAt, ct);
        if (rows.Count == 0)
        {
            return TimelineSlice.Empty;
        }

        // Newest save first, also among saves at one moment (ids grow with time).
        rows = [.. rows.OrderByDescending(r => r.ChangedAt).ThenByDescending(r => r.Id)];
        var values = await ValueNamesAsync(db, rows, contacts, ct);
        var customerName = await db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => c.Name).FirstAsync(ct);
        var entries = new List<TimelineEntry>();
        foreach (var save in rows.GroupBy(r => (r.EntityId, r.ChangedAt, r.ChangedBy, r.Action)))
        {
            var (entityId, at, by, action) = save.Key;
            var isCustomer = entityId == customerId;
            var subject = isCustomer ? customerName : contacts.GetValueOrDefault(entityId, "");
            var kind = (isCustomer ? "Customer" : "Contact") + action switch
            {
                AuditAction.Created => isCustomer ? "Created" : "Added",
                AuditAction.Updated => "Changed",
                AuditAction.Deleted => "Deleted",
                AuditAction.Restored => "Restored",
                _ => "Erased",
            };
            var changes = action == AuditAction.Updated
                ? string.Join("; ", save.OrderBy(r => r.Field, StringComparer.Ordinal).Select(r => Change(r, values)))
                : null;
            entries.Add(isCustomer && changes is not null
                ? new TimelineEntry(TimelineText.Utc(at), kind, changes, null, null, by, values.People.GetValueOrDefault(by ?? Guid.Empty), entityId)
                : new TimelineEntry(TimelineText.Utc(at), kind, subject, changes, null, by, values.People.GetValueOrDefault(by ?? Guid.Empty), entityId));
        }

        return new TimelineSlice(entries, completeFrom);
    }

    private string Change(AuditEntry row, ValueNames values) =>
        $"{Label(row.Field!)}: {Value(row.Field!, row.OldValue, values)} → {Value(row.Field!, row.NewValue, values)}";

    private string Label(string field) =>
        strings["Timeline.Field." + field] is { ResourceNotFound: false } label ? label.Value : field;

    private string Value(string field, string? value, ValueNames values)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "—";
        }

        var named = field switch
        {
            nameof(Customer.OwnerId) => Lookup(values.People, value),
            nameof(Customer.PoolTeamId) => Lookup(values.Teams, value),
            nameof(Customer.ParentId) => Lookup(values.Customers, value),
            nameof(Contact.ReportsToId) => Lookup(values.Contacts, value),
            nameof(Customer.Industry) => values.Industries.GetValueOrDefault(value),
            nameof(Customer.SourceChannel) => values.Channels.GetValueOrDefault(value),
            nameof(Customer.Size) => values.Sizes.GetValueOrDefault(value),
            _ => null,
        };
        if (named is not null)
        {
            return named;
        }

        if (strings[$"Timeline.Value.{field}.{value}"] is { ResourceNotFound: false } text)
        {
            return text.Value;
        }

        return DateTime.TryParseExact(value, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            ? time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : value;
    }

    private static string? Lookup(IReadOnlyDictionary<Guid, string> names, string value) =>
        Guid.TryParse(value, out var id) ? names.GetValueOrDefault(id) : null;

    private static async Task<ValueNames> ValueNamesAsync(AppDbContext db, List<AuditEntry> rows, Dictionary<Guid, string> contacts,
        CancellationToken ct)
    {
        List<Guid> IdsOf(string field) => rows.Where(r => r.Field == field)
            .SelectMany(r => new[] { r.OldValue, r.NewValue })
            .Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .Distinct()
            .ToList();

        var people = IdsOf(nameof(Customer.OwnerId)).Concat(rows.Select(r => r.ChangedBy).OfType<Guid>()).Distinct().ToList();
        var teams = IdsOf(nameof(Customer.PoolTeamId));
        var parents = IdsOf(nameof(Customer.ParentId));
        return new ValueNames(
            await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct),
            await db.Teams.AsNoTracking().Where(t => teams.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct),
            // Only parent companies the caller can see are named.
            await db.Customers.AsNoTracking().Where(c => parents.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct),
            contacts,
            await TimelineText.OptionLabelsAsync(db, OptionLists.Industries, ct),
            await TimelineText.OptionLabelsAsync(db, OptionLists.SourceChannels, ct),
            await TimelineText.OptionLabelsAsync(db, OptionLists.CompanySizes, ct));
    }

    private sealed record ValueNames(
        IReadOnlyDictionary<Guid, string> People,
        IReadOnlyDictionary<Guid, string> Teams,
        IReadOnlyDictionary<Guid, string> Customers,
        IReadOnlyDictionary<Guid, string> Contacts,
        IReadOnlyDictionary<string, string> Industries,
        IReadOnlyDictionary<string, string> Channels,
        IReadOnlyDictionary<string, string> Sizes);
}

internal static class TimelineText
{
    public static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <summary>The labels of an option list in the current UI language, by code.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> OptionLabelsAsync(AppDbContext db, string list, CancellationToken ct)
    {
        var chinese = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        var options = await db.OptionItems.AsNoTracking().Where(o => o.ListKey == list)
            .Select(o => new { o.Code, o.LabelZh, o.LabelEn }).ToListAsync(ct);
        return options.GroupBy(o => o.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => chinese ? g.First().LabelZh : g.First().LabelEn, StringComparer.Ordinal);
    }
}
