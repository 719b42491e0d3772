using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Organization.HandOver;

/// <summary>
/// Whom a person's records go to: colleagues (round-robin per kind), or, with <see cref="ToPool"/>, leads and customers
/// to the pool of the person's team (tasks then go to the colleagues, or to the person's manager when none are chosen).
/// </summary>
public sealed record HandOverRequest(IReadOnlyList<Guid>? RecipientIds = null, bool ToPool = false);

public sealed record HandOverCountDto(string Kind, bool HasPool, int Count);

public sealed record HandOverRecipientDto(Guid Id, string DisplayName, Guid? TeamId, string? TeamName);

/// <summary>What a hand-over of <see cref="UserId"/> would move, and who may receive it.</summary>
public sealed record HandOverPreviewDto(
    Guid UserId,
    string DisplayName,
    bool IsActive,
    Guid? TeamId,
    string? TeamName,
    IReadOnlyList<HandOverCountDto> Counts,
    IReadOnlyList<HandOverRecipientDto> Candidates,
    HandOverRecipientDto Fallback);

/// <summary>How many records of a kind went to a recipient (<see cref="RecipientId"/> null: the team pool).</summary>
public sealed record HandOverLineDto(string Kind, Guid? RecipientId, string? RecipientName, int Count);

public sealed record HandOverSummaryDto(Guid UserId, string DisplayName, IReadOnlyList<HandOverLineDto> Lines, int Total)
{
    public int CountOf(string kind) => Lines.Where(l => l.Kind == kind).Sum(l => l.Count);
}

/// <summary>
/// Hand-over (离职交接): a manager moves all of a person's open work (every registered <see cref="IHandOverPart"/>:
/// leads, customers, tasks, …) to colleagues of the teams they lead, or to the pool, in one transaction, and each
/// recipient gets one notification. A manager may hand over people of the teams they lead; an Admin anyone's.
/// </summary>
public sealed class HandOverHandler(IDbContextFactory<AppDbContext> dbFactory, IEnumerable<IHandOverPart> parts, TimeProvider clock)
{
    public const string NotificationKind = "handover.received";

    private IReadOnlyList<IHandOverPart> Parts { get; } = [.. parts.OrderBy(p => p.Order).ThenBy(p => p.Kind, StringComparer.Ordinal)];

    public async Task<HandOverPreviewDto> PreviewAsync(CurrentUser user, Guid userId, CancellationToken ct = default)
    {
        user.Require(Permissions.HandOverManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var tree = await CurrentUserResolver.LoadTreeAsync(db, ct);
        var person = await PersonAsync(db, user, userId, ct);
        var counts = new List<HandOverCountDto>();
        foreach (var part in Parts)
        {
            counts.Add(new HandOverCountDto(part.Kind, part.HasPool, await part.CountAsync(db, userId, ct)));
        }

        var candidates = await db.Users.AsNoTracking()
            .Where(u => u.IsActive && u.Id != userId && u.TeamId != null && (user.IsAdmin || user.SubtreeTeamIds.Contains(u.TeamId.Value)))
            .OrderBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.DisplayName, u.TeamId })
            .ToListAsync(ct);
        var fallback = await FallbackAsync(db, user, tree, person, ct);
        return new HandOverPreviewDto(person.Id, person.DisplayName, person.IsActive, person.TeamId,
            person.TeamId is { } team ? tree.Find(team)?.Name : null, counts,
            [.. candidates.Select(c => new HandOverRecipientDto(c.Id, c.DisplayName, c.TeamId, c.TeamId is { } t ? tree.Find(t)?.Name : null))],
            new HandOverRecipientDto(fallback.Id, fallback.Name, fallback.TeamId, fallback.TeamId is { } f ? tree.Find(f)?.Name : null));
    }

    public Task<HandOverSummaryDto> HandleAsync(CurrentUser user, Guid userId, HandOverRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.HandOverManage);
        return MoveAllAsync(user, userId, request, ct);
    }

    /// <summary>
    /// The hand-over itself, also run by the deactivation of a user (whose permission to manage users covers it): every
    /// part moves its records on one context, saved once with the recipients' notifications.
    /// </summary>
    public async Task<HandOverSummaryDto> MoveAllAsync(CurrentUser user, Guid userId, HandOverRequest request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.OpenAsync(user, ct);
        var tree = await CurrentUserResolver.LoadTreeAsync(db, ct);
        var person = await PersonAsync(db, user, userId, ct);
        if (person.Id == user.Id)
        {
            throw new ConflictException("You cannot hand over your own records; ask your manager.");
        }

        var recipients = await RecipientsAsync(db, user, person, request, ct);
        var fallback = await FallbackAsync(db, user, tree, person, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var move = new HandOverMove(db, person.Id, person.TeamId, user.Id, now, recipients, request.ToPool, fallback);
        foreach (var part in Parts)
        {
            await part.MoveAsync(move, ct);
        }

        var names = recipients.Append(fallback).GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.First().Name);
        var lines = move.Tally
            .Select(t => new HandOverLineDto(t.Key.Kind, t.Key.RecipientId, t.Key.RecipientId is { } id ? names.GetValueOrDefault(id) : null, t.Value))
            .OrderBy(l => Parts.ToList().FindIndex(p => p.Kind == l.Kind))
            .ThenBy(l => l.RecipientId is null)
            .ThenBy(l => l.RecipientName, StringComparer.Ordinal)
            .ToList();
        foreach (var (recipient, count) in lines.Where(l => l.RecipientId is not null).GroupBy(l => l.RecipientId!.Value)
                     .Select(g => (g.Key, g.Sum(l => l.Count))))
        {
            if (recipient != user.Id)
            {
                Notify.Add(db, recipient, NotificationKind, null, null, null, now, person.DisplayName, count.ToString(CultureInfo.InvariantCulture));
            }
        }

        await db.SaveChangesAsync(ct);
        return new HandOverSummaryDto(person.Id, person.DisplayName, lines, lines.Sum(l => l.Count));
    }

    private static async Task<Person> PersonAsync(AppDbContext db, CurrentUser user, Guid userId, CancellationToken ct)
    {
        var person = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new Person(u.Id, u.DisplayName, u.TeamId, u.IsActive))
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundException("The user");
        var manages = user.IsAdmin || ((user.Roles.Contains(Roles.Manager) || user.Roles.Contains(Roles.Director))
            && person.TeamId is { } team && user.SubtreeTeamIds.Contains(team));
        return manages ? person : throw new ForbiddenException("You may hand over only the work of people in the teams you manage.");
    }

    private static async Task<List<HandOverRecipient>> RecipientsAsync(AppDbContext db, CurrentUser user, Person person,
        HandOverRequest request, CancellationToken ct)
    {
        var ids = (request.RecipientIds ?? []).Distinct().ToList();
        if (ids.Count == 0 && !request.ToPool)
        {
            throw new ValidationException([new ValidationFailure("recipientIds",
                "Choose at least one colleague to receive the work, or send the leads and customers to the pool.")]);
        }

        if (ids.Count > 50)
        {
            throw new ValidationException([new ValidationFailure("recipientIds", "Choose at most 50 colleagues.")]);
        }

        var found = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.TeamId, u.IsActive })
            .ToListAsync(ct);
        var failures = new List<ValidationFailure>();
        foreach (var id in ids)
        {
            var recipient = found.FirstOrDefault(u => u.Id == id);
            if (recipient is null || !recipient.IsActive)
            {
                failures.Add(new ValidationFailure("recipientIds", "Every recipient must be an active user."));
            }
            else if (id == person.Id)
            {
                failures.Add(new ValidationFailure("recipientIds", "The person handing over cannot receive their own work."));
            }
            else if (!user.IsAdmin && (recipient.TeamId is not { } team || !user.SubtreeTeamIds.Contains(team)))
            {
                failures.Add(new ValidationFailure("recipientIds", $"{recipient.DisplayName} is not in the teams you manage."));
            }
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures.DistinctBy(f => f.ErrorMessage));
        }

        // In the order chosen: the first colleague gets the first record of each kind.
        return [.. ids.Select(id => found.First(u => u.Id == id)).Select(u => new HandOverRecipient(u.Id, u.DisplayName, u.TeamId))];
    }

    /// <summary>Who gets records that have no pool when no colleague is chosen: the person's active manager, else the actor.</summary>
    private static async Task<HandOverRecipient> FallbackAsync(AppDbContext db, CurrentUser user, TeamTree tree, Person person,
        CancellationToken ct)
    {
        if (tree.ManagerOf(person.Id, person.TeamId) is { } managerId && managerId != person.Id)
        {
            var manager = await db.Users.AsNoTracking().Where(u => u.Id == managerId && u.IsActive)
                .Select(u => new HandOverRecipient(u.Id, u.DisplayName, u.TeamId)).FirstOrDefaultAsync(ct);
            if (manager is not null)
            {
                return manager;
            }
        }

        return new HandOverRecipient(user.Id, user.DisplayName, user.TeamId);
    }

    private sealed record Person(Guid Id, string DisplayName, Guid? TeamId, bool IsActive);
}

public static class HandOverEndpoints
{
    public static void MapHandOver(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Organisation");
        group.MapGet("/{id:guid}/hand-over", async (Guid id, CurrentUser user, HandOverHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.PreviewAsync(user, id, ct)))
            .RequireAuthorization(Permissions.HandOverManage)
            .WithName("PreviewHandOver")
            .WithSummary("What a hand-over of this person would move (open leads, customers, open tasks, …) and the colleagues who may receive it.");
        group.MapPost("/{id:guid}/hand-over", async (Guid id, HandOverRequest request, CurrentUser user, HandOverHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(user, id, request, ct)))
            .RequireAuthorization(Permissions.HandOverManage)
            .WithName("HandOver")
            .WithSummary("Hand over all of a person's open work (离职交接) in one transaction: {recipientIds} round-robin per kind, or " +
                "{toPool: true} for leads and customers (tasks then go to the recipients, or the person's manager). Answers the counts " +
                "per kind and recipient; each recipient is notified once.");
    }
}
