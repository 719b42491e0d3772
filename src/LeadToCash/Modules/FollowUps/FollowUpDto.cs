using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Files;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.FollowUps;

/// <summary>Who took part in a follow-up: a contact of the customer (<see cref="ContactId"/>) or a colleague (<see cref="UserId"/>).</summary>
public sealed record FollowUpParticipantDto(Guid? ContactId, Guid? UserId, string? Name);

/// <summary>
/// A follow-up record as the API and the pages show it. <see cref="CanEdit"/>: the caller wrote it less than
/// <see cref="FollowUpRules.EditWindow"/> ago (text fields only); <see cref="CanDelete"/>: the author or a manager of the customer.
/// </summary>
public sealed record FollowUpDto(
    Guid Id,
    Guid CustomerId,
    DateTime OccurredAt,
    FollowUpMethod Method,
    string KeyPoints,
    string? CustomerFeedback,
    string? NextStep,
    DateTime? NextFollowUpAt,
    Guid? ReminderTaskId,
    Guid AuthorId,
    string? AuthorName,
    DateTime RecordedAt,
    bool IsLate,
    IReadOnlyList<FollowUpParticipantDto> Participants,
    IReadOnlyList<AttachmentDto> Attachments,
    int Version,
    bool CanEdit,
    bool CanDelete);

/// <summary>The rules of follow-up records that are not about the customer's cadence (those are in <see cref="CustomerRules"/>).</summary>
public static class FollowUpRules
{
    /// <summary>How far in the future a contact may be dated (clocks of phones and servers differ a little).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>How long the author may correct the text of a record they wrote.</summary>
    public static readonly TimeSpan EditWindow = TimeSpan.FromHours(24);

    public const int MaxFiles = 10;
    public const int MaxParticipants = 50;

    /// <summary>
    /// A time from the API or a page as UTC: times with an offset or 'Z' are converted; a time without either is taken as
    /// UTC (the API documents it), never as the server's local time.
    /// </summary>
    public static DateTime? ToUtc(DateTime? value) => value switch
    {
        null => null,
        { Kind: DateTimeKind.Utc } utc => utc,
        { Kind: DateTimeKind.Local } local => local.ToUniversalTime(),
        { } unspecified => DateTime.SpecifyKind(unspecified, DateTimeKind.Utc),
    };

    public static bool CanEdit(Guid authorId, DateTime recordedAt, CurrentUser user, DateTime now) =>
        authorId == user.Id && now - recordedAt <= EditWindow;

    /// <summary>Managers (and directors, and the Admin) who may change the customer may remove its records.</summary>
    public static bool IsManagerOf(CurrentUser user, bool canChangeCustomer) =>
        user.IsAdmin || (canChangeCustomer && (user.Roles.Contains(Roles.Manager) || user.Roles.Contains(Roles.Director)));
}

/// <summary>Reads follow-ups with what the pages show beside them: participants, author, files.</summary>
internal static class FollowUpReader
{
    /// <summary>The columns of a follow-up a list reads (one query), before participants and files are added.</summary>
    public sealed record Row(Guid Id, Guid CustomerId, DateTime OccurredAt, FollowUpMethod Method, string KeyPoints,
        string? CustomerFeedback, string? NextStep, DateTime? NextFollowUpAt, Guid? ReminderTaskId, Guid AuthorId,
        DateTime RecordedAt, bool IsLate, int Version);

    public static readonly System.Linq.Expressions.Expression<Func<FollowUp, Row>> Projection = f => new Row(
        f.Id, f.CustomerId, f.OccurredAt, f.Method, f.KeyPoints, f.CustomerFeedback, f.NextStep, f.NextFollowUpAt,
        f.ReminderTaskId, f.AuthorId, f.RecordedAt, f.IsLate, f.Version);

    /// <summary>Follow-ups of customers the context's user can see (follow-ups are reached only through their customer).</summary>
    public static IQueryable<FollowUp> Visible(AppDbContext db) =>
        db.FollowUps.Where(f => db.Customers.Any(c => c.Id == f.CustomerId));

    /// <summary>Completes <paramref name="rows"/> for <paramref name="user"/>; the caller has checked the customers are visible.</summary>
    public static async Task<List<FollowUpDto>> CompleteAsync(AppDbContext db, CurrentUser user, IReadOnlyList<Row> rows,
        DateTime now, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(r => r.Id).ToList();
        var participants = await db.FollowUpParticipants.AsNoTracking().Where(p => ids.Contains(p.FollowUpId)).ToListAsync(ct);
        var contactIds = participants.Where(p => p.ContactId != null).Select(p => p.ContactId!.Value).Distinct().ToList();
        var contactNames = await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var userIds = participants.Where(p => p.UserId != null).Select(p => p.UserId!.Value)
            .Concat(rows.Select(r => r.AuthorId)).Distinct().ToList();
        var userNames = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var files = await AttachmentReader.OfAsync(db, FollowUp.RecordType, ids, ct);

        var customerIds = rows.Select(r => r.CustomerId).Distinct().ToList();
        var managerOf = new Dictionary<Guid, bool>();
        foreach (var customer in await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToListAsync(ct))
        {
            managerOf[customer.Id] = FollowUpRules.IsManagerOf(user, await RecordAccess.CanChangeAsync(db, user, customer, ct));
        }

        var byFollowUp = participants.ToLookup(p => p.FollowUpId);
        return rows.Select(r => new FollowUpDto(
                r.Id, r.CustomerId, Utc(r.OccurredAt), r.Method, r.KeyPoints, r.CustomerFeedback, r.NextStep,
                r.NextFollowUpAt is { } next ? Utc(next) : null, r.ReminderTaskId, r.AuthorId, userNames.GetValueOrDefault(r.AuthorId),
                Utc(r.RecordedAt), r.IsLate,
                byFollowUp[r.Id]
                    .Select(p => new FollowUpParticipantDto(p.ContactId, p.UserId,
                        p.ContactId is { } c ? contactNames.GetValueOrDefault(c) : p.UserId is { } u ? userNames.GetValueOrDefault(u) : null))
                    .OrderBy(p => p.ContactId is null).ThenBy(p => p.Name, StringComparer.Ordinal)
                    .ToList(),
                files[r.Id].ToList(),
                r.Version,
                FollowUpRules.CanEdit(r.AuthorId, r.RecordedAt, user, now),
                r.AuthorId == user.Id || managerOf.GetValueOrDefault(r.CustomerId)))
            .ToList();
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
