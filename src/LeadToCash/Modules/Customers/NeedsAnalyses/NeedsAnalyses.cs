using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.NeedsAnalyses;

/// <summary>
/// A needs analysis as the API and the pages show it. <see cref="IsOverdue"/>: unconfirmed after
/// <see cref="ConfirmDueAt"/> (the meeting plus the company's confirmation window, 24 hours by default).
/// </summary>
public sealed record NeedsAnalysisDto(
    Guid Id,
    Guid CustomerId,
    string CustomerName,
    Guid? OpportunityId,
    string Title,
    DateTime MeetingAt,
    string? Background,
    string? CurrentSituation,
    string? PainPoints,
    string? CustomerWords,
    string? Goals,
    long? BudgetMinor,
    string? Timeline,
    string? NeedPriorities,
    string? DecisionProcess,
    DateTime ConfirmDueAt,
    DateTime? SentAt,
    DateTime? ConfirmedAt,
    string? ConfirmedHow,
    bool IsOverdue,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>The fields of a needs analysis; budget in minor units (fen).</summary>
public sealed record NeedsAnalysisRequest(
    string Title,
    DateTime MeetingAt,
    string? Background = null,
    string? CurrentSituation = null,
    string? PainPoints = null,
    string? CustomerWords = null,
    string? Goals = null,
    long? BudgetMinor = null,
    string? Timeline = null,
    string? NeedPriorities = null,
    string? DecisionProcess = null,
    int? Version = null);

/// <summary>The analysis went to the customer for confirmation at <see cref="SentAt"/>.</summary>
public sealed record MarkNeedsAnalysisSentRequest(DateTime SentAt, int? Version = null);

/// <summary>The customer confirmed the analysis at <see cref="ConfirmedAt"/>, <see cref="How"/> (e-mail, WeChat, signature…).</summary>
public sealed record ConfirmNeedsAnalysisRequest(DateTime ConfirmedAt, string How, int? Version = null);

public sealed class NeedsAnalysisValidator : AbstractValidator<NeedsAnalysisRequest>
{
    public const int TextLength = 4000;

    public NeedsAnalysisValidator()
    {
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200);
        RuleFor(x => x.MeetingAt).NotEmpty();
        RuleFor(x => x.Background).MaximumLength(TextLength);
        RuleFor(x => x.CurrentSituation).MaximumLength(TextLength);
        RuleFor(x => x.PainPoints).MaximumLength(TextLength);
        RuleFor(x => x.CustomerWords).MaximumLength(TextLength);
        RuleFor(x => x.Goals).MaximumLength(TextLength);
        RuleFor(x => x.NeedPriorities).MaximumLength(TextLength);
        RuleFor(x => x.DecisionProcess).MaximumLength(TextLength);
        RuleFor(x => x.Timeline).MaximumLength(200);
        RuleFor(x => x.BudgetMinor).GreaterThanOrEqualTo(0)
            .WithMessage("'{PropertyName}' must be zero or more.").WithErrorCode("NotNegative");
    }
}

/// <summary>
/// Needs analyses of a customer. One is visible when its customer is; a change needs the right to change the customer.
/// Writing one with a budget recomputes the customer's system tag (its budget band).
/// </summary>
public sealed class NeedsAnalysesHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private static readonly NeedsAnalysisValidator Validator = new();

    public async Task<IReadOnlyList<NeedsAnalysisDto>> ListForCustomerAsync(CurrentUser user, Guid customerId, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
        {
            throw new NotFoundException("The customer");
        }

        var rows = await NeedsAnalysisQueries.Rows(db).Where(r => r.Analysis.CustomerId == customerId)
            .OrderByDescending(r => r.Analysis.MeetingAt).ThenByDescending(r => r.Analysis.Id)
            .Select(NeedsAnalysisQueries.Projection)
            .ToListAsync(ct);
        return NeedsAnalysisQueries.WithOverdue(rows, Now);
    }

    public async Task<NeedsAnalysisDto> GetAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await ReadAsync(db, id, ct);
    }

    public async Task<NeedsAnalysisDto> CreateAsync(CurrentUser user, Guid customerId, NeedsAnalysisRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersEdit);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await CustomerAccess.LoadForChangeAsync(db, user, customerId, ct);
        var analysis = new NeedsAnalysis { CustomerId = customerId, Title = request.Title.Trim() };
        await ApplyAsync(db, analysis, request, ct);
        db.NeedsAnalyses.Add(analysis);
        await db.SaveChangesAsync(ct);
        await RefreshSegmentAsync(db, customerId, ct);
        return await ReadAsync(db, analysis.Id, ct);
    }

    public async Task<NeedsAnalysisDto> UpdateAsync(CurrentUser user, Guid customerId, Guid id, NeedsAnalysisRequest request, int version,
        CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersEdit);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var analysis = await LoadForChangeAsync(db, user, customerId, id, version, ct);
        await ApplyAsync(db, analysis, request, ct);
        EnsureAfterMeeting(analysis, analysis.SentAt, "meetingAt", "The meeting cannot be after the analysis was sent.");
        EnsureAfterMeeting(analysis, analysis.ConfirmedAt, "meetingAt", "The meeting cannot be after the customer confirmed the analysis.");
        await db.SaveChangesAsync(ct);
        await RefreshSegmentAsync(db, customerId, ct);
        return await ReadAsync(db, id, ct);
    }

    public async Task DeleteAsync(CurrentUser user, Guid customerId, Guid id, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var analysis = await LoadForChangeAsync(db, user, customerId, id, version, ct);
        db.NeedsAnalyses.Remove(analysis);
        await db.SaveChangesAsync(ct);
        await RefreshSegmentAsync(db, customerId, ct);
    }

    public async Task<NeedsAnalysisDto> MarkSentAsync(CurrentUser user, Guid customerId, Guid id, MarkNeedsAnalysisSentRequest request,
        int version, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var analysis = await LoadForChangeAsync(db, user, customerId, id, version, ct);
        var sentAt = Utc(request.SentAt);
        EnsureBetweenMeetingAndNow(analysis, sentAt, "sentAt");
        analysis.SentAt = sentAt;
        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, id, ct);
    }

    public async Task<NeedsAnalysisDto> ConfirmAsync(CurrentUser user, Guid customerId, Guid id, ConfirmNeedsAnalysisRequest request,
        int version, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersEdit);
        if (string.IsNullOrWhiteSpace(request.How) || request.How.Trim().Length > 200)
        {
            throw Invalid("how", "Say how the customer confirmed (e-mail, WeChat, signature…), in at most 200 characters.");
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var analysis = await LoadForChangeAsync(db, user, customerId, id, version, ct);
        var confirmedAt = Utc(request.ConfirmedAt);
        EnsureBetweenMeetingAndNow(analysis, confirmedAt, "confirmedAt");
        analysis.ConfirmedAt = confirmedAt;
        analysis.ConfirmedHow = request.How.Trim();
        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, id, ct);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<NeedsAnalysisDto> ReadAsync(AppDbContext db, Guid id, CancellationToken ct)
    {
        var row = await NeedsAnalysisQueries.Rows(db).Where(r => r.Analysis.Id == id).Select(NeedsAnalysisQueries.Projection)
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundException("The needs analysis");
        return NeedsAnalysisQueries.WithOverdue([row], Now)[0];
    }

    private static async Task<NeedsAnalysis> LoadForChangeAsync(AppDbContext db, CurrentUser user, Guid customerId, Guid id, int version,
        CancellationToken ct)
    {
        await CustomerAccess.LoadForChangeAsync(db, user, customerId, ct);
        var analysis = await db.NeedsAnalyses.FirstOrDefaultAsync(n => n.Id == id && n.CustomerId == customerId, ct)
            ?? throw new NotFoundException("The needs analysis");
        Versioning.EnsureVersion(analysis.Version, version);
        return analysis;
    }

    private async Task ApplyAsync(AppDbContext db, NeedsAnalysis analysis, NeedsAnalysisRequest request, CancellationToken ct)
    {
        var meetingAt = Utc(request.MeetingAt);
        if (meetingAt > Now)
        {
            throw Invalid("meetingAt", "The meeting cannot be in the future: write the analysis after it.");
        }

        if (meetingAt != analysis.MeetingAt)
        {
            var settings = await db.CustomerSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new CustomerSettings();
            analysis.MeetingAt = meetingAt;
            analysis.ConfirmDueAt = CustomerRules.ConfirmDueAt(meetingAt, settings);
        }

        analysis.Title = request.Title.Trim();
        analysis.Background = Text(request.Background);
        analysis.CurrentSituation = Text(request.CurrentSituation);
        analysis.PainPoints = Text(request.PainPoints);
        analysis.CustomerWords = Text(request.CustomerWords);
        analysis.Goals = Text(request.Goals);
        analysis.BudgetMinor = request.BudgetMinor;
        analysis.Timeline = Text(request.Timeline)?.Trim();
        analysis.NeedPriorities = Text(request.NeedPriorities);
        analysis.DecisionProcess = Text(request.DecisionProcess);
    }

    private async Task RefreshSegmentAsync(AppDbContext db, Guid customerId, CancellationToken ct)
    {
        await CustomerTags.RefreshSystemTagAsync(db, customerId, Now, ct);
        await db.SaveChangesAsync(ct);
    }

    private void EnsureBetweenMeetingAndNow(NeedsAnalysis analysis, DateTime at, string field)
    {
        EnsureAfterMeeting(analysis, at, field, "This cannot be before the meeting.");
        if (at > Now)
        {
            throw Invalid(field, "This cannot be in the future.");
        }
    }

    private static void EnsureAfterMeeting(NeedsAnalysis analysis, DateTime? at, string field, string message)
    {
        if (at is { } value && value < analysis.MeetingAt)
        {
            throw Invalid(field, message);
        }
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>JSON without an offset is read as UTC, like every time of the API.</summary>
    private static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);
}

/// <summary>Which needs analyses a list shows.</summary>
/// <param name="Unconfirmed">Only those the customer has not confirmed yet.</param>
/// <param name="Mine">Only those of customers the caller owns.</param>
/// <param name="Overdue">Only those past their confirmation deadline and still unconfirmed.</param>
public sealed record NeedsAnalysisFilter(bool Unconfirmed = false, bool Mine = false, bool Overdue = false, Guid? CustomerId = null);

/// <summary>
/// Needs analyses across the customers the caller can see, e.g. "My day"'s unconfirmed ones
/// (<c>new NeedsAnalysisFilter(Unconfirmed: true, Mine: true)</c>), soonest confirmation deadline first.
/// </summary>
public sealed class ListNeedsAnalysesHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public static readonly IReadOnlyList<SortField<NeedsAnalysisRow>> SortFields =
    [
        Keyset.Field<NeedsAnalysisRow, DateTime>("confirmDueAt", r => r.Analysis.ConfirmDueAt),
        Keyset.Field<NeedsAnalysisRow, DateTime>("meetingAt", r => r.Analysis.MeetingAt),
        Keyset.Field<NeedsAnalysisRow, DateTime>("createdAt", r => r.Analysis.CreatedAt),
    ];

    public async Task<ListPage<NeedsAnalysisDto>> ListAsync(CurrentUser user, NeedsAnalysisFilter filter, ListRequest page,
        CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.OpenAsync(user, ct);
        var query = NeedsAnalysisQueries.Rows(db);
        if (filter.Unconfirmed || filter.Overdue)
        {
            query = query.Where(r => r.Analysis.ConfirmedAt == null);
        }

        if (filter.Overdue)
        {
            query = query.Where(r => r.Analysis.ConfirmDueAt < now);
        }

        if (filter.Mine)
        {
            var me = user.Id;
            query = query.Where(r => r.OwnerId == me);
        }

        if (filter.CustomerId is { } customer)
        {
            query = query.Where(r => r.Analysis.CustomerId == customer);
        }

        var result = await Keyset.PageAsync(query, page, SortFields, r => r.Analysis.Id, NeedsAnalysisQueries.Projection, ct);
        return result with { Items = NeedsAnalysisQueries.WithOverdue(result.Items, now) };
    }
}

/// <summary>A needs analysis with the facts of its (visible) customer that lists show and filter by.</summary>
public sealed class NeedsAnalysisRow
{
    public required NeedsAnalysis Analysis { get; init; }

    public required string CustomerName { get; init; }

    public Guid? OwnerId { get; init; }
}

internal static class NeedsAnalysisQueries
{
    /// <summary>Analyses joined to their customer: the customers' scope filter decides which are visible.</summary>
    public static IQueryable<NeedsAnalysisRow> Rows(AppDbContext db) =>
        from n in db.NeedsAnalyses.AsNoTracking()
        join c in db.Customers on n.CustomerId equals c.Id
        select new NeedsAnalysisRow { Analysis = n, CustomerName = c.Name, OwnerId = c.OwnerId };

    public static readonly System.Linq.Expressions.Expression<Func<NeedsAnalysisRow, NeedsAnalysisDto>> Projection = r => new NeedsAnalysisDto(
        r.Analysis.Id, r.Analysis.CustomerId, r.CustomerName, r.Analysis.OpportunityId, r.Analysis.Title,
        DateTime.SpecifyKind(r.Analysis.MeetingAt, DateTimeKind.Utc), r.Analysis.Background, r.Analysis.CurrentSituation,
        r.Analysis.PainPoints, r.Analysis.CustomerWords, r.Analysis.Goals, r.Analysis.BudgetMinor, r.Analysis.Timeline,
        r.Analysis.NeedPriorities, r.Analysis.DecisionProcess, DateTime.SpecifyKind(r.Analysis.ConfirmDueAt, DateTimeKind.Utc),
        r.Analysis.SentAt, r.Analysis.ConfirmedAt, r.Analysis.ConfirmedHow, false, r.Analysis.Version,
        DateTime.SpecifyKind(r.Analysis.CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(r.Analysis.UpdatedAt, DateTimeKind.Utc));

    public static IReadOnlyList<NeedsAnalysisDto> WithOverdue(IReadOnlyList<NeedsAnalysisDto> rows, DateTime now) =>
        rows.Select(r => r with
        {
            SentAt = Utc(r.SentAt),
            ConfirmedAt = Utc(r.ConfirmedAt),
            IsOverdue = CustomerRules.IsConfirmOverdue(r.ConfirmDueAt, r.ConfirmedAt, now),
        }).ToList();

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}

public static class NeedsAnalysesEndpoints
{
    /// <summary>Under /customers: a customer's analyses and the commands on them.</summary>
    public static void MapCustomerNeedsAnalyses(this RouteGroupBuilder group)
    {
        group.MapGet("/{customerId:guid}/needs-analyses", async (Guid customerId, CurrentUser user, NeedsAnalysesHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.ListForCustomerAsync(user, customerId, ct)))
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("ListCustomerNeedsAnalyses")
            .WithSummary("The needs analyses of a customer the caller can see, latest meeting first, each with its overdue flag.");
        group.MapPost("/{customerId:guid}/needs-analyses", async (Guid customerId, NeedsAnalysisRequest request, CurrentUser user,
                NeedsAnalysesHandler handler, CancellationToken ct) =>
            {
                var created = await handler.CreateAsync(user, customerId, request, ct);
                return TypedResults.Created($"/api/v1/needs-analyses/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.CustomersEdit)
            .WithName("CreateNeedsAnalysis")
            .WithSummary("Write a needs analysis of a meeting; the customer's confirmation is due within the company's window (24 hours).");
        group.MapPut("/{customerId:guid}/needs-analyses/{id:guid}", async (Guid customerId, Guid id, NeedsAnalysisRequest request,
                CurrentUser user, NeedsAnalysesHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, customerId, id, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.CustomersEdit)
            .WithName("UpdateNeedsAnalysis")
            .WithSummary("Change a needs analysis; send the version you read (field or If-Match). A stale version answers 409.");
        group.MapDelete("/{customerId:guid}/needs-analyses/{id:guid}", async (Guid customerId, Guid id, int? version, CurrentUser user,
                NeedsAnalysesHandler handler, HttpContext http, CancellationToken ct) =>
            {
                await handler.DeleteAsync(user, customerId, id, VersionHeader.Required(version, http.Request), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.CustomersEdit)
            .WithName("DeleteNeedsAnalysis")
            .WithSummary("Move a needs analysis to the recycle bin; send its version (?version= or If-Match).");
        group.MapPost("/{customerId:guid}/needs-analyses/{id:guid}/sent", async (Guid customerId, Guid id, MarkNeedsAnalysisSentRequest request,
                CurrentUser user, NeedsAnalysesHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.MarkSentAsync(user, customerId, id, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.CustomersEdit)
            .WithName("MarkNeedsAnalysisSent")
            .WithSummary("Record when the analysis was sent to the customer for confirmation.");
        group.MapPost("/{customerId:guid}/needs-analyses/{id:guid}/confirm", async (Guid customerId, Guid id, ConfirmNeedsAnalysisRequest request,
                CurrentUser user, NeedsAnalysesHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.ConfirmAsync(user, customerId, id, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.CustomersEdit)
            .WithName("ConfirmNeedsAnalysis")
            .WithSummary("Record when and how the customer confirmed the analysis.");
    }

    /// <summary>Under /needs-analyses: one analysis by id, and lists across customers (e.g. unconfirmed ones for "My day").</summary>
    public static void MapNeedsAnalyses(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/needs-analyses").WithTags("Needs analyses");
        group.MapGet("/", async ([AsParameters] NeedsAnalysisQuery query, CurrentUser user, ListNeedsAnalysesHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.ListAsync(user, query.Filter, query.Page, ct)))
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("ListNeedsAnalyses")
            .WithSummary("Needs analyses of customers the caller can see: ?unconfirmed=true&mine=true&overdue=true&customerId=" +
                "&limit=&cursor=&sort=(confirmDueAt|meetingAt|createdAt, - for descending).");
        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, NeedsAnalysesHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var analysis = await handler.GetAsync(user, id, ct);
                http.Response.Headers.ETag = $"\"{analysis.Version}\"";
                return TypedResults.Ok(analysis);
            })
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("GetNeedsAnalysis")
            .WithSummary("One needs analysis of a customer the caller can see, with its version (also sent as ETag).");
    }
}

public sealed record NeedsAnalysisQuery(bool? Unconfirmed, bool? Mine, bool? Overdue, Guid? CustomerId, int? Limit, string? Cursor, string? Sort)
{
    public NeedsAnalysisFilter Filter => new(Unconfirmed ?? false, Mine ?? false, Overdue ?? false, CustomerId);

    public ListRequest Page => new(Limit, Cursor, Sort);
}
