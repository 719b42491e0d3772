using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Options;

public sealed record OptionDto(Guid Id, string ListKey, string Code, string LabelZh, string LabelEn, int SortOrder, bool IsActive, int Version)
{
    /// <summary>The label in a UI culture: Chinese for zh-*, English otherwise.</summary>
    public string Label(System.Globalization.CultureInfo culture) =>
        culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? LabelZh : LabelEn;
}

public sealed record SaveOptionRequest(string Code, string LabelZh, string LabelEn, int SortOrder, bool IsActive = true, int? Version = null);

public sealed class SaveOptionValidator : AbstractValidator<SaveOptionRequest>
{
    public SaveOptionValidator()
    {
        RuleFor(x => x.Code).NotEmpty().MaximumLength(50).Matches("^[a-z0-9][a-z0-9+\\-]*$")
            .WithMessage("The code uses lower-case letters, digits, + and -.");
        RuleFor(x => x.LabelZh).NotEmpty().MaximumLength(100);
        RuleFor(x => x.LabelEn).NotEmpty().MaximumLength(100);
    }
}

/// <summary>Configurable option lists: one mechanism, a zh-CN and an en-US label per option.</summary>
public sealed class OptionsHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    private static readonly SaveOptionValidator Validator = new();

    public async Task<IReadOnlyList<OptionDto>> ListAsync(CurrentUser user, string listKey, bool includeInactive = false, CancellationToken ct = default)
    {
        user.Require(Permissions.OptionsRead);
        EnsureList(listKey);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await db.OptionItems.AsNoTracking()
            .Where(o => o.ListKey == listKey && (includeInactive || o.IsActive))
            .OrderBy(o => o.SortOrder).ThenBy(o => o.Code)
            .Select(o => new OptionDto(o.Id, o.ListKey, o.Code, o.LabelZh, o.LabelEn, o.SortOrder, o.IsActive, o.Version))
            .ToListAsync(ct);
    }

    public async Task<OptionDto> CreateAsync(CurrentUser user, string listKey, SaveOptionRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.OptionsManage);
        EnsureList(listKey);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        if (await db.OptionItems.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AnyAsync(o => o.ListKey == listKey && o.Code == request.Code, ct))
        {
            throw new ValidationException([new ValidationFailure("code", $"The list already has the code '{request.Code}'.")]);
        }

        var option = new OptionItem
        {
            ListKey = listKey,
            Code = request.Code,
            LabelZh = request.LabelZh.Trim(),
            LabelEn = request.LabelEn.Trim(),
            SortOrder = request.SortOrder,
            IsActive = request.IsActive,
        };
        db.OptionItems.Add(option);
        await db.SaveChangesAsync(ct);
        return ToDto(option);
    }

    /// <summary>Changes labels, order or active flag; the code stays, because records refer to it.</summary>
    public async Task<OptionDto> UpdateAsync(CurrentUser user, Guid id, SaveOptionRequest request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.OptionsManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var option = await db.OptionItems.FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundException("The option");
        Versioning.EnsureVersion(option.Version, version);
        if (option.Code != request.Code)
        {
            throw new ValidationException([new ValidationFailure("code", "The code of an option cannot change; add a new option instead.")]);
        }

        option.LabelZh = request.LabelZh.Trim();
        option.LabelEn = request.LabelEn.Trim();
        option.SortOrder = request.SortOrder;
        option.IsActive = request.IsActive;
        await db.SaveChangesAsync(ct);
        return ToDto(option);
    }

    private static void EnsureList(string listKey)
    {
        if (!OptionLists.All.Contains(listKey))
        {
            throw new NotFoundException($"The option list '{listKey}'");
        }
    }

    private static OptionDto ToDto(OptionItem o) => new(o.Id, o.ListKey, o.Code, o.LabelZh, o.LabelEn, o.SortOrder, o.IsActive, o.Version);
}

public static class OptionsModule
{
    public static IServiceCollection AddOptionLists(this IServiceCollection services) => services.AddScoped<OptionsHandler>();

    public static void MapOptionLists(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/options").WithTags("Option lists");
        group.MapGet("/", (CurrentUser user) => TypedResults.Ok(OptionLists.All))
            .RequireAuthorization(Permissions.OptionsRead)
            .WithName("ListOptionLists");
        group.MapGet("/{listKey}", async (string listKey, bool? includeInactive, CurrentUser user, OptionsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, listKey, includeInactive ?? false, ct)))
            .RequireAuthorization(Permissions.OptionsRead)
            .WithName("ListOptions");
        group.MapPost("/{listKey}", async (string listKey, SaveOptionRequest request, CurrentUser user, OptionsHandler handler, CancellationToken ct) =>
            {
                var created = await handler.CreateAsync(user, listKey, request, ct);
                return TypedResults.Created($"/api/v1/options/{listKey}/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.OptionsManage)
            .WithName("CreateOption");
        group.MapPut("/{listKey}/{id:guid}", async (string listKey, Guid id, SaveOptionRequest request, CurrentUser user,
                OptionsHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.OptionsManage)
            .WithName("UpdateOption");
    }
}
