using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Approvals;

public sealed record DelegationDto(Guid Id, Guid FromUserId, string? FromName, Guid ToUserId, string? ToName, DateTime StartsAt, DateTime EndsAt,
    string? Reason, bool IsActive);

/// <summary>While away: from (default now) to, the colleague who decides the caller's approval steps meanwhile.</summary>
public sealed record DelegationRequest(Guid ToUserId, DateTime EndsAt, DateTime? StartsAt = null, string? Reason = null);

/// <summary>
/// An approver's delegations: while one is on, the steps waiting on the approver also wait on the delegate, who may
/// decide them (the step records who decided). One delegation at a time; it can be ended early.
/// </summary>
public sealed class ApprovalDelegationsHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan Longest = TimeSpan.FromDays(90);

    /// <summary>The caller's delegations (given and received) that have not ended, newest first.</summary>
    public async Task<IReadOnlyList<DelegationDto>> ListAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.ApprovalsDecide);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await db.ApprovalDelegations.AsNoTracking()
            .Where(d => (d.FromUserId == user.Id || d.ToUserId == user.Id) && d.RevokedAt == null && d.EndsAt > now)
            .OrderByDescending(d => d.StartsAt).ToListAsync(ct);
        var people = rows.SelectMany(d => new[] { d.FromUserId, d.ToUserId }).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return [.. rows.Select(d => Dto(d, names, now))];
    }

    public async Task<DelegationDto> CreateAsync(CurrentUser user, DelegationRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.ApprovalsDecide);
        var now = clock.GetUtcNow().UtcDateTime;
        var startsAt = Utc(request.StartsAt ?? now);
        var endsAt = Utc(request.EndsAt);
        if (request.ToUserId == user.Id)
        {
            throw Invalid("toUserId", "Choose a colleague: you cannot delegate to yourself.");
        }

        if (endsAt <= startsAt || endsAt <= now)
        {
            throw Invalid("endsAt", "The delegation must end after it starts, and in the future.");
        }

        if (endsAt - startsAt > Longest)
        {
            throw Invalid("endsAt", $"A delegation lasts at most {Longest.TotalDays:0} days.");
        }

        if (request.Reason is { Length: > 500 })
        {
            throw Invalid("reason", "The reason has at most 500 characters.");
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        if (!await db.Users.AnyAsync(u => u.Id == request.ToUserId && u.IsActive, ct))
        {
            throw Invalid("toUserId", "The colleague does not exist or is no longer active.");
        }

        if (await db.ApprovalDelegations.AnyAsync(d => d.FromUserId == user.Id && d.RevokedAt == null && d.EndsAt > startsAt && d.StartsAt < endsAt, ct))
        {
            throw new ConflictException("You already have a delegation in that period: end it first.");
        }

        var delegation = new ApprovalDelegation
        {
            FromUserId = user.Id,
            ToUserId = request.ToUserId,
            StartsAt = startsAt,
            EndsAt = endsAt,
            Reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim(),
        };
        db.ApprovalDelegations.Add(delegation);
        await db.SaveChangesAsync(ct);
        var names = await db.Users.AsNoTracking().Where(u => u.Id == user.Id || u.Id == request.ToUserId).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return Dto(delegation, names, now);
    }

    /// <summary>Ends one of the caller's delegations now.</summary>
    public async Task EndAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.ApprovalsDecide);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var delegation = await db.ApprovalDelegations.FirstOrDefaultAsync(d => d.Id == id && d.FromUserId == user.Id, ct)
            ?? throw new NotFoundException("The delegation");
        delegation.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    private static DelegationDto Dto(ApprovalDelegation d, Dictionary<Guid, string> names, DateTime now) =>
        new(d.Id, d.FromUserId, names.GetValueOrDefault(d.FromUserId), d.ToUserId, names.GetValueOrDefault(d.ToUserId), Utc(d.StartsAt), Utc(d.EndsAt),
            d.Reason, d.RevokedAt is null && d.StartsAt <= now && d.EndsAt > now);

    private static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);
}
