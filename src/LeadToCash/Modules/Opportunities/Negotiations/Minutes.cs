using System.Text.Json.Serialization;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities.Negotiations;

/// <summary>An open item of a negotiation: what, who owns it (a colleague or a name), by when, done or not.</summary>
public sealed record MinutesOpenItemDto(Guid Id, string Text, Guid? OwnerUserId, string? OwnerName, DateOnly? DueDate, bool IsDone);

/// <summary>Our bottom lines for a negotiation; only ever sent to those <see cref="BottomLines.CanSee"/> allows.</summary>
public sealed record NegotiationBottomLineDto(long? PriceFloorMinor, string? AcceptablePaymentTerms, DateTime? UpdatedAt, string? UpdatedByName);

/// <summary>
/// Negotiation minutes (谈判纪要) as the API and the pages show them. <see cref="BottomLine"/> is present only when
/// <see cref="BottomLineVisible"/>: for everyone else the property is left out of the answer altogether.
/// <see cref="HasAgreedTerms"/>: a price or payment terms were agreed (what the negotiation stage's gate asks for).
/// </summary>
public sealed record NegotiationMinutesDto(
    Guid Id,
    Guid OpportunityId,
    string OpportunityName,
    Guid CustomerId,
    string Currency,
    DateTime MeetingAt,
    string Attendees,
    long? AgreedPriceMinor,
    string? PaymentTerms,
    string? Delivery,
    string? Liability,
    string? OtherTerms,
    string? NextSteps,
    IReadOnlyList<MinutesOpenItemDto> OpenItems,
    bool HasAgreedTerms,
    bool CanChange,
    bool BottomLineVisible,
    int Version,
    DateTime CreatedAt,
    Guid? CreatedBy,
    string? CreatedByName,
    DateTime UpdatedAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NegotiationBottomLineDto? BottomLine { get; init; }
}

/// <summary>What the caller may do with an opportunity's negotiations (for pages: whether to offer "new minutes" and the confidential box).</summary>
public sealed record NegotiationAccessDto(Guid OpportunityId, string OpportunityName, Guid CustomerId, string Currency, bool CanChange,
    bool BottomLineVisible);

/// <summary>An open item to keep: <see cref="Id"/> of an existing one to keep it, null for a new one.</summary>
public sealed record MinutesOpenItemRequest(string Text, Guid? OwnerUserId = null, string? OwnerName = null, DateOnly? DueDate = null,
    bool IsDone = false, Guid? Id = null);

/// <summary>
/// The minutes of a meeting; the agreed price in minor units (分) of the opportunity's currency. The open items replace
/// the minutes' items (those not sent are removed). Bottom lines are not part of it: they have their own command.
/// </summary>
public sealed record NegotiationMinutesRequest(
    DateTime MeetingAt,
    string Attendees,
    long? AgreedPriceMinor = null,
    string? PaymentTerms = null,
    string? Delivery = null,
    string? Liability = null,
    string? OtherTerms = null,
    string? NextSteps = null,
    IReadOnlyList<MinutesOpenItemRequest>? OpenItems = null,
    int? Version = null);

/// <summary>Our bottom lines: the lowest price (minor units) and the payment terms we could accept. Both empty removes them.</summary>
public sealed record NegotiationBottomLineRequest(long? PriceFloorMinor, string? AcceptablePaymentTerms);

public sealed record OpenItemDoneRequest(bool IsDone);

public sealed class NegotiationMinutesValidator : AbstractValidator<NegotiationMinutesRequest>
{
    public const int MaxOpenItems = 50;

    public NegotiationMinutesValidator()
    {
        RuleFor(x => x.MeetingAt).NotEmpty();
        RuleFor(x => x.Attendees).NotEmpty().MaximumLength(1000);
        RuleFor(x => x.AgreedPriceMinor).GreaterThanOrEqualTo(0)
            .WithMessage("'{PropertyName}' must be zero or more.").WithErrorCode("NotNegative");
        RuleFor(x => x.PaymentTerms).MaximumLength(1000);
        RuleFor(x => x.Delivery).MaximumLength(1000);
        RuleFor(x => x.Liability).MaximumLength(1000);
        RuleFor(x => x.OtherTerms).MaximumLength(2000);
        RuleFor(x => x.NextSteps).MaximumLength(2000);
        RuleFor(x => x.OpenItems).Must(items => items is null || items.Count <= MaxOpenItems)
            .WithMessage($"At most {MaxOpenItems} open items.");
        RuleForEach(x => x.OpenItems).ChildRules(item =>
        {
            item.RuleFor(i => i.Text).NotEmpty().MaximumLength(500);
            item.RuleFor(i => i.OwnerName).MaximumLength(100);
        });
    }
}

public sealed class NegotiationBottomLineValidator : AbstractValidator<NegotiationBottomLineRequest>
{
    public NegotiationBottomLineValidator()
    {
        RuleFor(x => x.PriceFloorMinor).GreaterThanOrEqualTo(0)
            .WithMessage("'{PropertyName}' must be zero or more.").WithErrorCode("NotNegative");
        RuleFor(x => x.AcceptablePaymentTerms).MaximumLength(1000);
    }
}

/// <summary>
/// The negotiation minutes of an opportunity. Minutes are visible when their opportunity is; writing them needs the
/// right to change the opportunity (owner, a manager above the owner, an edit share, the Admin). Bottom lines are read
/// and written only by those <see cref="BottomLines.CanSee"/> allows, and leave this handler only in their DTOs.
/// </summary>
public sealed class NegotiationMinutesHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private static readonly NegotiationMinutesValidator Validator = new();
    private static readonly NegotiationBottomLineValidator BottomLineValidator = new();

    /// <summary>The opportunity's minutes, latest meeting first; <paramref name="q"/> searches their text (never bottom lines).</summary>
    public async Task<IReadOnlyList<NegotiationMinutesDto>> ListAsync(CurrentUser user, Guid opportunityId, string? q = null,
        CancellationToken ct = default)
    {
        user.Require(Permissions.NegotiationsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var deal = await DealAccess.LoadAsync(db, user, opportunityId, ct);
        var query = db.NegotiationMinutes.AsNoTracking().Where(m => m.OpportunityId == opportunityId);
        if (TextSearch.Pattern(q) is { } pattern)
        {
            // ToLower() here is SQL lower() on the column, not .NET's culture-dependent lower-casing.
#pragma warning disable CA1304, CA1311
            query = query.Where(m => EF.Functions.Like(m.Attendees.ToLower(), pattern, TextSearch.Escape)
                || (m.PaymentTerms != null && EF.Functions.Like(m.PaymentTerms.ToLower(), pattern, TextSearch.Escape))
                || (m.Delivery != null && EF.Functions.Like(m.Delivery.ToLower(), pattern, TextSearch.Escape))
                || (m.Liability != null && EF.Functions.Like(m.Liability.ToLower(), pattern, TextSearch.Escape))
                || (m.OtherTerms != null && EF.Functions.Like(m.OtherTerms.ToLower(), pattern, TextSearch.Escape))
                || (m.NextSteps != null && EF.Functions.Like(m.NextSteps.ToLower(), pattern, TextSearch.Escape))
                || db.MinutesOpenItems.Any(i => i.MinutesId == m.Id && EF.Functions.Like(i.Text.ToLower(), pattern, TextSearch.Escape)));
#pragma warning restore CA1304, CA1311
        }

        var minutes = await query.OrderByDescending(m => m.MeetingAt).ThenByDescending(m => m.Id).ToListAsync(ct);
        return await ComposeAsync(db, deal, minutes, ct);
    }

    /// <summary>The opportunity as the negotiation pages need it (404 when the caller cannot see it).</summary>
    public async Task<NegotiationAccessDto> AccessAsync(CurrentUser user, Guid opportunityId, CancellationToken ct = default)
    {
        user.Require(Permissions.NegotiationsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var deal = await DealAccess.LoadAsync(db, user, opportunityId, ct);
        return new NegotiationAccessDto(deal.Id, deal.Name, deal.CustomerId, deal.Currency, deal.CanChange, deal.BottomLineVisible);
    }

    public async Task<NegotiationMinutesDto> GetAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.NegotiationsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await ReadAsync(db, user, id, ct);
    }

    public async Task<NegotiationMinutesDto> CreateAsync(CurrentUser user, Guid opportunityId, NegotiationMinutesRequest request,
        CancellationToken ct = default)
    {
        user.Require(Permissions.NegotiationsEdit);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var deal = await DealAccess.LoadAsync(db, user, opportunityId, ct);
        deal.EnsureCanChange();
        var minutes = new NegotiationMinutes { OpportunityId = opportunityId, Attendees = "" };
        Apply(minutes, request);
        db.NegotiationMinutes.Add(minutes);
        await SyncOpenItemsAsync(db, minutes.Id, request.OpenItems ?? [], ct);
        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, user, minutes.Id, ct);
    }

    public async Task<NegotiationMinutesDto> UpdateAsync(CurrentUser user, Guid id, NegotiationMinutesRequest request, int version,
        CancellationToken ct = default)
    {
        user.Require(Permissions.NegotiationsEdit);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var minutes = await LoadForChangeAsync(db, user, id, ct);
        Versioning.EnsureVersion(minutes.Version, version);
        Apply(minutes, request);
        await SyncOpenItemsAsync(db, minutes.Id, request.OpenItems ?? [], ct);
        Touch(db, minutes);
        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, user, id, ct);
    }

    /// <summary>Moves the minutes to the recycle bin's history (soft delete).</summary>
    public async Task DeleteAsync(CurrentUser user, Guid id, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.NegotiationsEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var minutes = await LoadForChangeAsync(db, user, id, ct);
        Versioning.EnsureVersion(minutes.Version, version);
        db.NegotiationMinutes.Remove(minutes);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Ticks an open item done (or not). The minutes get a new version, so an edit based on the old one is refused.</summary>
    public async Task<NegotiationMinutesDto> SetOpenItemDoneAsync(CurrentUser user, Guid id, Guid itemId, bool done, CancellationToken ct = default)
    {
        user.Require(Permissions.NegotiationsEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var minutes = await LoadForChangeAsync(db, user, id, ct);
        var item = await db.MinutesOpenItems.FirstOrDefaultAsync(i => i.Id == itemId && i.MinutesId == id, ct)
            ?? throw new NotFoundException("The open item");
        if (item.IsDone != done)
        {
            item.IsDone = done;
            Touch(db, minutes);
            await db.SaveChangesAsync(ct);
        }

        return await ReadAsync(db, user, id, ct);
    }

    /// <summary>
    /// Writes our bottom lines for the minutes: only the opportunity's owner, the managers above the owner and the Admin
    /// may (anyone else who sees the minutes gets 403). Not a business record: no version, no change history.
    /// </summary>
    public async Task<NegotiationMinutesDto> SetBottomLineAsync(CurrentUser user, Guid id, NegotiationBottomLineRequest request,
        CancellationToken ct = default)
    {
        user.Require(Permissions.NegotiationsEdit);
        await BottomLineValidator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var minutes = await VisibleAsync(db, id, ct);
        var deal = await DealAccess.LoadAsync(db, user, minutes.OpportunityId, ct);
        if (!deal.BottomLineVisible)
        {
            throw new ForbiddenException("Only the opportunity's owner and their managers may set its bottom lines.");
        }

        var terms = string.IsNullOrWhiteSpace(request.AcceptablePaymentTerms) ? null : request.AcceptablePaymentTerms.Trim();
        var line = await db.NegotiationBottomLines.FirstOrDefaultAsync(b => b.MinutesId == id, ct);
        if (request.PriceFloorMinor is null && terms is null)
        {
            if (line is not null)
            {
                db.NegotiationBottomLines.Remove(line);
            }
        }
        else
        {
            if (line is null)
            {
                line = new NegotiationBottomLine { MinutesId = id };
                db.NegotiationBottomLines.Add(line);
            }

            line.PriceFloorMinor = request.PriceFloorMinor;
            line.AcceptablePaymentTerms = terms;
            line.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            line.UpdatedBy = user.Id;
        }

        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, user, id, ct);
    }

    private static async Task<NegotiationMinutes> VisibleAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        await db.NegotiationMinutes.FirstOrDefaultAsync(m => m.Id == id && db.Opportunities.Any(o => o.Id == m.OpportunityId), ct)
        ?? throw new NotFoundException("The negotiation minutes");

    private static async Task<NegotiationMinutes> LoadForChangeAsync(AppDbContext db, CurrentUser user, Guid id, CancellationToken ct)
    {
        var minutes = await VisibleAsync(db, id, ct);
        (await DealAccess.LoadAsync(db, user, minutes.OpportunityId, ct)).EnsureCanChange();
        return minutes;
    }

    private static async Task<NegotiationMinutesDto> ReadAsync(AppDbContext db, CurrentUser user, Guid id, CancellationToken ct)
    {
        var minutes = await db.NegotiationMinutes.AsNoTracking()
            .FirstOrDefaultAsync(m => m.Id == id && db.Opportunities.Any(o => o.Id == m.OpportunityId), ct)
            ?? throw new NotFoundException("The negotiation minutes");
        var deal = await DealAccess.LoadAsync(db, user, minutes.OpportunityId, ct);
        return (await ComposeAsync(db, deal, [minutes], ct))[0];
    }

    /// <summary>The DTOs of minutes of one (visible) opportunity: items, names, and the bottom lines only when allowed.</summary>
    private static async Task<IReadOnlyList<NegotiationMinutesDto>> ComposeAsync(AppDbContext db, DealAccess deal,
        List<NegotiationMinutes> minutes, CancellationToken ct)
    {
        if (minutes.Count == 0)
        {
            return [];
        }

        var ids = minutes.Select(m => m.Id).ToList();
        var items = await db.MinutesOpenItems.AsNoTracking().Where(i => ids.Contains(i.MinutesId))
            .OrderBy(i => i.Id).ToListAsync(ct);
        // Read only for those allowed: what is not loaded cannot leak.
        var lines = deal.BottomLineVisible
            ? await db.NegotiationBottomLines.AsNoTracking().Where(b => ids.Contains(b.MinutesId)).ToDictionaryAsync(b => b.MinutesId, ct)
            : [];
        var people = minutes.Select(m => m.CreatedBy)
            .Concat(items.Select(i => i.OwnerUserId))
            .Concat(lines.Values.Select(l => l.UpdatedBy))
            .OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        string? Name(Guid? userId) => userId is { } known ? names.GetValueOrDefault(known) : null;

        return minutes.Select(m => new NegotiationMinutesDto(
                m.Id, m.OpportunityId, deal.Name, deal.CustomerId, deal.Currency, Utc(m.MeetingAt), m.Attendees, m.AgreedPriceMinor,
                m.PaymentTerms, m.Delivery, m.Liability, m.OtherTerms, m.NextSteps,
                items.Where(i => i.MinutesId == m.Id)
                    .Select(i => new MinutesOpenItemDto(i.Id, i.Text, i.OwnerUserId, Name(i.OwnerUserId) ?? i.OwnerName, i.DueDate, i.IsDone))
                    .ToList(),
                HasAgreedTerms(m), deal.CanChange, deal.BottomLineVisible, m.Version, Utc(m.CreatedAt), m.CreatedBy, Name(m.CreatedBy),
                Utc(m.UpdatedAt))
            {
                BottomLine = !deal.BottomLineVisible ? null
                    : lines.TryGetValue(m.Id, out var line)
                        ? new NegotiationBottomLineDto(line.PriceFloorMinor, line.AcceptablePaymentTerms, Utc(line.UpdatedAt), Name(line.UpdatedBy))
                        : new NegotiationBottomLineDto(null, null, null, null),
            })
            .ToList();
    }

    /// <summary>Agreed terms, as the negotiation gate reads them: at least the price or the payment terms.</summary>
    public static bool HasAgreedTerms(NegotiationMinutes minutes) =>
        minutes.AgreedPriceMinor is not null || !string.IsNullOrWhiteSpace(minutes.PaymentTerms);

    private void Apply(NegotiationMinutes minutes, NegotiationMinutesRequest request)
    {
        var meetingAt = Utc(request.MeetingAt);
        if (meetingAt > clock.GetUtcNow().UtcDateTime)
        {
            throw Invalid("meetingAt", "The meeting cannot be in the future: write the minutes after it.");
        }

        minutes.MeetingAt = meetingAt;
        minutes.Attendees = request.Attendees.Trim();
        minutes.AgreedPriceMinor = request.AgreedPriceMinor;
        minutes.PaymentTerms = Text(request.PaymentTerms);
        minutes.Delivery = Text(request.Delivery);
        minutes.Liability = Text(request.Liability);
        minutes.OtherTerms = Text(request.OtherTerms);
        minutes.NextSteps = Text(request.NextSteps);
    }

    /// <summary>The minutes' open items become those of the request: kept by id, new ones added, the rest removed.</summary>
    private static async Task SyncOpenItemsAsync(AppDbContext db, Guid minutesId, IReadOnlyList<MinutesOpenItemRequest> requested,
        CancellationToken ct)
    {
        var owners = requested.Select(i => i.OwnerUserId).OfType<Guid>().Distinct().ToList();
        if (owners.Count > 0)
        {
            var known = await db.Users.AsNoTracking().Where(u => owners.Contains(u.Id) && u.IsActive).Select(u => u.Id).ToListAsync(ct);
            if (owners.Except(known).Any())
            {
                throw Invalid("openItems", "An open item's owner must be an active colleague (or give a name instead).");
            }
        }

        var existing = await db.MinutesOpenItems.Where(i => i.MinutesId == minutesId).ToListAsync(ct);
        foreach (var stale in existing.Where(e => !requested.Any(r => r.Id == e.Id)))
        {
            db.MinutesOpenItems.Remove(stale);
        }

        foreach (var wanted in requested)
        {
            var item = wanted.Id is { } id ? existing.FirstOrDefault(e => e.Id == id) : null;
            if (item is null)
            {
                if (wanted.Id is not null)
                {
                    throw Invalid("openItems", "An open item to keep must be one of these minutes.");
                }

                item = new MinutesOpenItem { MinutesId = minutesId, Text = "" };
                db.MinutesOpenItems.Add(item);
            }

            item.Text = wanted.Text.Trim();
            item.OwnerUserId = wanted.OwnerUserId;
            item.OwnerName = wanted.OwnerUserId is null ? Text(wanted.OwnerName)?.Trim() : null;
            item.DueDate = wanted.DueDate;
            item.IsDone = wanted.IsDone;
        }
    }

    /// <summary>A change of the open items alone is a change of the minutes: a new version (no history row of its own).</summary>
    private static void Touch(AppDbContext db, NegotiationMinutes minutes) =>
        db.Entry(minutes).Property(m => m.UpdatedAt).IsModified = true;

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>JSON without an offset is read as UTC, like every time of the API.</summary>
    private static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);
}

/// <summary>
/// What a caller may do with one visible opportunity's negotiations: read them (else 404), change them (else 403), see
/// the bottom lines.
/// </summary>
internal sealed record DealAccess(Guid Id, string Name, Guid CustomerId, string Currency, Guid? OwnerId, bool CanChange, bool BottomLineVisible)
{
    public static async Task<DealAccess> LoadAsync(AppDbContext db, CurrentUser user, Guid opportunityId, CancellationToken ct)
    {
        var deal = await db.Opportunities.AsNoTracking().FirstOrDefaultAsync(o => o.Id == opportunityId, ct)
            ?? throw new NotFoundException("The opportunity");
        var ownerTeam = deal.OwnerId is { } owner
            ? await db.Users.AsNoTracking().Where(u => u.Id == owner).Select(u => u.TeamId).FirstOrDefaultAsync(ct)
            : null;
        var canChange = user.Has(Permissions.NegotiationsEdit) && await RecordAccess.CanChangeAsync(db, user, deal, ct);
        return new DealAccess(deal.Id, deal.Name, deal.CustomerId, deal.Currency, deal.OwnerId, canChange,
            BottomLines.CanSee(user, deal.OwnerId, ownerTeam));
    }

    public void EnsureCanChange()
    {
        if (!CanChange)
        {
            throw new ForbiddenException("Only the opportunity's owner, their managers and colleagues it is shared with for editing may change its negotiations.");
        }
    }
}

/// <summary>
/// A case-insensitive "contains" that both databases answer alike: LIKE over the lower-cased column with a lower-case
/// pattern (PostgreSQL's LIKE minds case, SQLite's does not).
/// </summary>
internal static class TextSearch
{
    public const string Escape = "\\";

    /// <summary>The LIKE pattern of a search text, its wildcards escaped; null for a blank query.</summary>
    public static string? Pattern(string? q) =>
        string.IsNullOrWhiteSpace(q)
            ? null
            : "%" + q.Trim().ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
