using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Opportunities.Negotiations;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities.Playbook;

/// <summary>A playbook entry with its stage and pipeline (names in both languages, for the pages).</summary>
public sealed record PlaybookEntryDto(
    Guid Id,
    Guid StageId,
    string StageName,
    string? StageNameEn,
    Guid PipelineId,
    string PipelineName,
    string? PipelineNameEn,
    PlaybookKind Kind,
    string Title,
    string Body,
    string? Tags,
    int SortOrder,
    int Version,
    DateTime UpdatedAt);

/// <summary>An active stage of a pipeline, as the playbook pages choose it.</summary>
public sealed record PlaybookStageDto(Guid Id, string Name, string? NameEn, StageKind Kind, int SortOrder);

/// <summary>An active pipeline with its active stages in order.</summary>
public sealed record PlaybookPipelineDto(Guid Id, string Name, string? NameEn, bool IsDefault, IReadOnlyList<PlaybookStageDto> Stages);

/// <summary>
/// A talk track (话术), an objection and its answer (the objection as <see cref="Title"/>, the answer as
/// <see cref="Body"/>), or a success case, for one stage. <see cref="Tags"/>: words to find it by, separated by commas.
/// </summary>
public sealed record PlaybookEntryRequest(Guid StageId, PlaybookKind Kind, string Title, string Body, string? Tags = null, int? Version = null);

/// <summary>The entries of one stage in their new order (every entry of the stage, each once).</summary>
public sealed record PlaybookReorderRequest(Guid StageId, IReadOnlyList<Guid> EntryIds);

/// <summary>Which entries a playbook list shows: one stage or one pipeline's, a kind, a search over title, body and tags.</summary>
public sealed record PlaybookFilter(Guid? StageId = null, Guid? PipelineId = null, string? Q = null, PlaybookKind? Kind = null);

public sealed class PlaybookEntryValidator : AbstractValidator<PlaybookEntryRequest>
{
    public PlaybookEntryValidator()
    {
        RuleFor(x => x.StageId).NotEmpty();
        RuleFor(x => x.Kind).IsInEnum();
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Body).NotEmpty().MaximumLength(8000);
        RuleFor(x => x.Tags).MaximumLength(300);
    }
}

/// <summary>
/// The sales playbook per stage: everyone who works deals reads and searches it; managers (playbook.manage) write,
/// reorder and remove entries. Entries are company-wide reference text, not scoped records.
/// </summary>
public sealed class PlaybookHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    public const int MaxResults = 500;
    private static readonly PlaybookEntryValidator Validator = new();

    public async Task<IReadOnlyList<PlaybookEntryDto>> ListAsync(CurrentUser user, PlaybookFilter filter, CancellationToken ct = default)
    {
        user.Require(Permissions.PlaybookRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var query = Rows(db);
        if (filter.StageId is { } stage)
        {
            query = query.Where(r => r.Entry.StageId == stage);
        }

        if (filter.PipelineId is { } pipeline)
        {
            query = query.Where(r => r.Stage.PipelineId == pipeline);
        }

        if (filter.Kind is { } kind)
        {
            query = query.Where(r => r.Entry.Kind == kind);
        }

        if (TextSearch.Pattern(filter.Q) is { } pattern)
        {
            // ToLower() here is SQL lower() on the column, not .NET's culture-dependent lower-casing.
#pragma warning disable CA1304, CA1311
            query = query.Where(r => EF.Functions.Like(r.Entry.Title.ToLower(), pattern, TextSearch.Escape)
                || EF.Functions.Like(r.Entry.Body.ToLower(), pattern, TextSearch.Escape)
                || (r.Entry.Tags != null && EF.Functions.Like(r.Entry.Tags.ToLower(), pattern, TextSearch.Escape)));
#pragma warning restore CA1304, CA1311
        }

        return await query
            .OrderBy(r => r.Pipeline.SortOrder).ThenBy(r => r.Pipeline.Name)
            .ThenBy(r => r.Stage.SortOrder).ThenBy(r => r.Entry.SortOrder).ThenBy(r => r.Entry.Id)
            .Take(MaxResults)
            .Select(Projection)
            .ToListAsync(ct);
    }

    /// <summary>The active pipelines (default first) and their active stages, to choose a playbook by.</summary>
    public async Task<IReadOnlyList<PlaybookPipelineDto>> PipelinesAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.PlaybookRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var pipelines = await db.Pipelines.AsNoTracking().Where(p => p.IsActive)
            .OrderByDescending(p => p.IsDefault).ThenBy(p => p.SortOrder).ThenBy(p => p.Name).ToListAsync(ct);
        var ids = pipelines.Select(p => p.Id).ToList();
        var stages = await db.PipelineStages.AsNoTracking().Where(s => s.IsActive && ids.Contains(s.PipelineId))
            .OrderBy(s => s.SortOrder).ToListAsync(ct);
        return pipelines.Select(p => new PlaybookPipelineDto(p.Id, p.Name, p.NameEn, p.IsDefault, stages.Where(s => s.PipelineId == p.Id)
                .Select(s => new PlaybookStageDto(s.Id, s.Name, s.NameEn, s.Kind, s.SortOrder)).ToList()))
            .ToList();
    }

    public async Task<PlaybookEntryDto> GetAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.PlaybookRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await ReadAsync(db, id, ct);
    }

    /// <summary>A new entry, last of its stage.</summary>
    public async Task<PlaybookEntryDto> CreateAsync(CurrentUser user, PlaybookEntryRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.PlaybookManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await EnsureStageAsync(db, request.StageId, ct);
        var entry = new PlaybookEntry { StageId = request.StageId, Title = "", Body = "", SortOrder = await NextOrderAsync(db, request.StageId, ct) };
        Apply(entry, request);
        db.PlaybookEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, entry.Id, ct);
    }

    /// <summary>Changes an entry; moved to another stage, it goes last there.</summary>
    public async Task<PlaybookEntryDto> UpdateAsync(CurrentUser user, Guid id, PlaybookEntryRequest request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.PlaybookManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var entry = await db.PlaybookEntries.FirstOrDefaultAsync(e => e.Id == id, ct) ?? throw new NotFoundException("The playbook entry");
        Versioning.EnsureVersion(entry.Version, version);
        if (entry.StageId != request.StageId)
        {
            await EnsureStageAsync(db, request.StageId, ct);
            entry.SortOrder = await NextOrderAsync(db, request.StageId, ct);
            entry.StageId = request.StageId;
        }

        Apply(entry, request);
        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, id, ct);
    }

    public async Task DeleteAsync(CurrentUser user, Guid id, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.PlaybookManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var entry = await db.PlaybookEntries.FirstOrDefaultAsync(e => e.Id == id, ct) ?? throw new NotFoundException("The playbook entry");
        Versioning.EnsureVersion(entry.Version, version);
        db.PlaybookEntries.Remove(entry);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Puts a stage's entries in the given order; the list must name every entry of the stage once.</summary>
    public async Task<IReadOnlyList<PlaybookEntryDto>> ReorderAsync(CurrentUser user, PlaybookReorderRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.PlaybookManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await EnsureStageAsync(db, request.StageId, ct);
        var entries = await db.PlaybookEntries.Where(e => e.StageId == request.StageId).ToListAsync(ct);
        var ids = request.EntryIds ?? [];
        if (ids.Count != entries.Count || ids.Distinct().Count() != ids.Count || entries.Any(e => !ids.Contains(e.Id)))
        {
            throw new ValidationException([new ValidationFailure("entryIds", "List every entry of the stage exactly once, in the new order.")]);
        }

        for (var i = 0; i < ids.Count; i++)
        {
            var entry = entries.First(e => e.Id == ids[i]);
            entry.SortOrder = i;
        }

        await db.SaveChangesAsync(ct);
        return await Rows(db).Where(r => r.Entry.StageId == request.StageId)
            .OrderBy(r => r.Entry.SortOrder).ThenBy(r => r.Entry.Id)
            .Select(Projection).ToListAsync(ct);
    }

    private static async Task<PlaybookEntryDto> ReadAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        await Rows(db).Where(r => r.Entry.Id == id).Select(Projection).FirstOrDefaultAsync(ct)
        ?? throw new NotFoundException("The playbook entry");

    private static async Task EnsureStageAsync(AppDbContext db, Guid stageId, CancellationToken ct)
    {
        if (!await db.PipelineStages.AnyAsync(s => s.Id == stageId, ct))
        {
            throw new ValidationException([new ValidationFailure("stageId", "Choose a stage of a pipeline.")]);
        }
    }

    private static async Task<int> NextOrderAsync(AppDbContext db, Guid stageId, CancellationToken ct) =>
        (await db.PlaybookEntries.Where(e => e.StageId == stageId).MaxAsync(e => (int?)e.SortOrder, ct) ?? -1) + 1;

    private static void Apply(PlaybookEntry entry, PlaybookEntryRequest request)
    {
        entry.Kind = request.Kind;
        entry.Title = request.Title.Trim();
        entry.Body = request.Body.Trim();
        entry.Tags = NormalizeTags(request.Tags);
    }

    /// <summary>Tags as "a, b, c": split on commas (also Chinese ones) and semicolons, trimmed, each once.</summary>
    public static string? NormalizeTags(string? tags)
    {
        if (string.IsNullOrWhiteSpace(tags))
        {
            return null;
        }

        var parts = tags.Split([',', '，', ';', '；', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static IQueryable<PlaybookRow> Rows(AppDbContext db) =>
        from e in db.PlaybookEntries.AsNoTracking()
        join s in db.PipelineStages on e.StageId equals s.Id
        join p in db.Pipelines on s.PipelineId equals p.Id
        select new PlaybookRow { Entry = e, Stage = s, Pipeline = p };

    private static readonly System.Linq.Expressions.Expression<Func<PlaybookRow, PlaybookEntryDto>> Projection = r => new PlaybookEntryDto(
        r.Entry.Id, r.Entry.StageId, r.Stage.Name, r.Stage.NameEn, r.Stage.PipelineId, r.Pipeline.Name, r.Pipeline.NameEn, r.Entry.Kind,
        r.Entry.Title, r.Entry.Body, r.Entry.Tags, r.Entry.SortOrder, r.Entry.Version, DateTime.SpecifyKind(r.Entry.UpdatedAt, DateTimeKind.Utc));

    private sealed class PlaybookRow
    {
        public required PlaybookEntry Entry { get; init; }
        public required PipelineStage Stage { get; init; }
        public required Pipeline Pipeline { get; init; }
    }
}
