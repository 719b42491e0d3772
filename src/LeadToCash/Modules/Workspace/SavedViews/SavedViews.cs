using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Workspace.SavedViews;

public sealed record SavedViewDto(Guid Id, string List, string Name, string Query, DateTime CreatedAt);

public sealed record CreateSavedViewRequest(string List, string Name, string? Query);

public sealed class CreateSavedViewValidator : AbstractValidator<CreateSavedViewRequest>
{
    public CreateSavedViewValidator()
    {
        RuleFor(x => x.List).NotEmpty().Must(l => SavedViewsHandler.Lists.Contains(l))
            .WithMessage($"list must be one of: {string.Join(", ", SavedViewsHandler.Lists)}.");
        RuleFor(x => x.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("A view needs a name.")
            .MaximumLength(100);
        RuleFor(x => x.Query).MaximumLength(2000);
    }
}

/// <summary>
/// A person's own named filters of a list (e.g. "my overdue A leads"). Views are private: each person sees, creates
/// and deletes only their own; another person's view answers 404 like a missing one.
/// </summary>
public sealed class SavedViewsHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>The lists that have saved views.</summary>
    public static readonly IReadOnlyList<string> Lists = ["leads", "customers", "opportunities"];

    private static readonly CreateSavedViewValidator Validator = new();

    public async Task<IReadOnlyList<SavedViewDto>> ListAsync(CurrentUser user, string list, CancellationToken ct = default)
    {
        user.Require(Permissions.ViewsOwn);
        if (!Lists.Contains(list))
        {
            throw new ValidationException([new ValidationFailure("list", $"list must be one of: {string.Join(", ", Lists)}.")]);
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var views = await db.SavedViews.AsNoTracking()
            .Where(v => v.UserId == user.Id && v.ListKey == list)
            .Select(v => new SavedViewDto(v.Id, v.ListKey, v.Name, v.Query, DateTime.SpecifyKind(v.CreatedAt, DateTimeKind.Utc)))
            .ToListAsync(ct);
        return [.. views.OrderBy(v => v.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    public async Task<SavedViewDto> CreateAsync(CurrentUser user, CreateSavedViewRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.ViewsOwn);
        await Validator.ValidateAndThrowAsync(request, ct);
        var name = request.Name.Trim();
        var query = (request.Query ?? "").Trim().TrimStart('?');
        await using var db = await dbFactory.OpenAsync(user, ct);
        if (await NameTakenAsync(db, user.Id, request.List, name, ct))
        {
            throw Taken(name);
        }

        var view = new SavedView
        {
            UserId = user.Id,
            ListKey = request.List,
            Name = name,
            Query = query,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.SavedViews.Add(view);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two saves of the same name at once: the unique index lets one through.
            db.ChangeTracker.Clear();
            if (await NameTakenAsync(db, user.Id, request.List, name, ct))
            {
                throw Taken(name);
            }

            throw;
        }

        return new SavedViewDto(view.Id, view.ListKey, view.Name, view.Query, view.CreatedAt);
    }

    public async Task DeleteAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.ViewsOwn);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var view = await db.SavedViews.FirstOrDefaultAsync(v => v.Id == id && v.UserId == user.Id, ct)
            ?? throw new NotFoundException("The saved view");
        db.SavedViews.Remove(view);
        await db.SaveChangesAsync(ct);
    }

    private static Task<bool> NameTakenAsync(AppDbContext db, Guid userId, string list, string name, CancellationToken ct) =>
        db.SavedViews.AsNoTracking().AnyAsync(v => v.UserId == userId && v.ListKey == list && v.Name == name, ct);

    private static ConflictException Taken(string name) => new($"You already have a view named '{name}' for this list.");
}

public static class SavedViewsEndpoints
{
    public static void MapSavedViews(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/views").WithTags("Saved views");
        group.MapGet("/", async (string list, CurrentUser user, SavedViewsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, list, ct)))
            .RequireAuthorization(Permissions.ViewsOwn)
            .WithName("ListSavedViews")
            .WithSummary("The caller's own saved views of a list (?list=leads|customers), by name.");
        group.MapPost("/", async (CreateSavedViewRequest request, CurrentUser user, SavedViewsHandler handler, CancellationToken ct) =>
            {
                var view = await handler.CreateAsync(user, request, ct);
                return TypedResults.Created($"/api/v1/views/{view.Id}", view);
            })
            .RequireAuthorization(Permissions.ViewsOwn)
            .WithName("CreateSavedView")
            .WithSummary("Save a named view of a list: {list, name, query} where query is the list's query string. Names are unique per person and list (409).");
        group.MapDelete("/{id:guid}", async (Guid id, CurrentUser user, SavedViewsHandler handler, CancellationToken ct) =>
            {
                await handler.DeleteAsync(user, id, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.ViewsOwn)
            .WithName("DeleteSavedView")
            .WithSummary("Delete one of the caller's own saved views.");
    }
}
