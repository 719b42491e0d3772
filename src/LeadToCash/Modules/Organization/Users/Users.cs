using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Organization.HandOver;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Organization.Users;

public record UserDto(Guid Id, string DisplayName, string Email, string? Phone, Guid? TeamId, string? TeamName,
    DateOnly? HireDate, bool IsActive, IReadOnlyList<string> Roles, Guid? ManagerId, DateTime CreatedAt);

/// <summary>A deactivated user with what the deactivation handed over (see <see cref="HandOverHandler"/>).</summary>
public sealed record DeactivatedUserDto : UserDto
{
    public DeactivatedUserDto(UserDto user, HandOverSummaryDto handOver)
        : base(user) => HandOver = handOver;

    public HandOverSummaryDto HandOver { get; init; }
}

/// <summary>
/// Who receives a deactivated person's open work (round-robin per kind). Without recipients, or with
/// <see cref="ToPool"/>, leads and customers go to the pool of the person's team and tasks to the recipients or the
/// person's manager: nothing is left with an inactive owner.
/// </summary>
public sealed record DeactivateUserRequest(IReadOnlyList<Guid>? RecipientIds = null, bool? ToPool = null);

public sealed record UserFilter(string? Q = null, Guid? TeamId = null, bool IncludeInactive = false);

public sealed record CreateUserRequest(string Email, string DisplayName, string Password, Guid TeamId,
    IReadOnlyList<string> Roles, DateOnly? HireDate = null, string? Phone = null);

public sealed record UpdateUserRequest(string DisplayName, Guid TeamId, IReadOnlyList<string> Roles,
    DateOnly? HireDate = null, string? Phone = null);

public sealed class CreateUserValidator : AbstractValidator<CreateUserRequest>
{
    public CreateUserValidator()
    {
        RuleFor(x => x.Email).NotEmpty().EmailAddress().MaximumLength(256);
        RuleFor(x => x.DisplayName).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Password).NotEmpty().MinimumLength(12).MaximumLength(256);
        RuleFor(x => x.TeamId).NotEmpty();
        RuleFor(x => x.Roles).NotEmpty();
        RuleForEach(x => x.Roles).Must(r => Platform.Auth.Roles.All.Contains(r))
            .WithMessage($"Each role must be one of: {string.Join(", ", Platform.Auth.Roles.All)}.");
        RuleFor(x => x.Phone).MaximumLength(40);
    }
}

public sealed class UpdateUserValidator : AbstractValidator<UpdateUserRequest>
{
    public UpdateUserValidator()
    {
        RuleFor(x => x.DisplayName).NotEmpty().MaximumLength(100);
        RuleFor(x => x.TeamId).NotEmpty();
        RuleFor(x => x.Roles).NotEmpty();
        RuleForEach(x => x.Roles).Must(r => Platform.Auth.Roles.All.Contains(r))
            .WithMessage($"Each role must be one of: {string.Join(", ", Platform.Auth.Roles.All)}.");
        RuleFor(x => x.Phone).MaximumLength(40);
    }
}

public sealed class UsersHandler(
    IDbContextFactory<AppDbContext> dbFactory,
    IServiceScopeFactory scopes,
    HandOverHandler handOver,
    TimeProvider clock)
{
    private static readonly CreateUserValidator CreateValidator = new();
    private static readonly UpdateUserValidator UpdateValidator = new();

    public async Task<IReadOnlyList<UserDto>> ListAsync(CurrentUser user, bool includeInactive = false, CancellationToken ct = default)
    {
        user.Require(Permissions.OrgRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await QueryAsync(db, includeInactive, null, ct);
    }

    public async Task<UserDto> GetAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.OrgRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return (await QueryAsync(db, true, id, ct)).SingleOrDefault() ?? throw new NotFoundException("The user");
    }

    public async Task<UserDto> CreateAsync(CurrentUser user, CreateUserRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.UsersManage);
        await CreateValidator.ValidateAndThrowAsync(request, ct);
        await using (var db = await dbFactory.OpenAsync(user, ct))
        {
            await EnsureTeamAsync(db, request.TeamId, ct);
        }

        await using var identity = IdentityFor(user);
        var created = await CreateUserAsync(identity.Users, clock, request, ct);
        return await GetAsync(user, created.Id, ct);
    }

    /// <summary>Creates a user with roles; shared by the API, the setup page and the command line.</summary>
    public static Task<AppUser> CreateUserAsync(UserManager<AppUser> userManager, TimeProvider clock,
        CreateUserRequest request, CancellationToken ct) => CreateUserAsync(userManager, clock, request, null, ct);

    /// <summary>As above, with a given id (the demo company's people have fixed ids).</summary>
    public static async Task<AppUser> CreateUserAsync(UserManager<AppUser> userManager, TimeProvider clock,
        CreateUserRequest request, Guid? id, CancellationToken ct)
    {
        if (await userManager.FindByEmailAsync(request.Email) is not null)
        {
            throw Invalid("email", "A user with this e-mail already exists.");
        }

        var user = new AppUser
        {
            Id = id ?? Guid.CreateVersion7(),
            Email = request.Email.Trim(),
            UserName = request.Email.Trim(),
            DisplayName = request.DisplayName.Trim(),
            TeamId = request.TeamId,
            HireDate = request.HireDate,
            PhoneNumber = request.Phone,
            EmailConfirmed = true,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        Check(await userManager.CreateAsync(user, request.Password));
        Check(await userManager.AddToRolesAsync(user, request.Roles.Distinct()));
        return user;
    }

    public async Task<UserDto> UpdateAsync(CurrentUser user, Guid id, UpdateUserRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.UsersManage);
        await UpdateValidator.ValidateAndThrowAsync(request, ct);
        await using (var db = await dbFactory.OpenAsync(user, ct))
        {
            await EnsureTeamAsync(db, request.TeamId, ct);
        }

        await using var identity = IdentityFor(user);
        var userManager = identity.Users;
        var target = await userManager.FindByIdAsync(id.ToString()) ?? throw new NotFoundException("The user");
        if (target.Id == user.Id && user.IsAdmin && !request.Roles.Contains(Platform.Auth.Roles.Admin))
        {
            throw Invalid("roles", "You cannot take the Admin role away from yourself.");
        }

        target.DisplayName = request.DisplayName.Trim();
        target.TeamId = request.TeamId;
        target.HireDate = request.HireDate;
        target.PhoneNumber = request.Phone;
        Check(await userManager.UpdateAsync(target));
        var current = await userManager.GetRolesAsync(target);
        Check(await userManager.RemoveFromRolesAsync(target, current.Except(request.Roles)));
        Check(await userManager.AddToRolesAsync(target, request.Roles.Except(current).Distinct()));
        return await GetAsync(user, id, ct);
    }

    /// <summary>
    /// Deactivates a user after handing over their open work (to the recipients, else leads and customers to the team pool
    /// and tasks to their manager), so that no record is left with an inactive owner.
    /// </summary>
    public async Task<DeactivatedUserDto> DeactivateAsync(CurrentUser user, Guid id, DeactivateUserRequest? request, CancellationToken ct = default)
    {
        user.Require(Permissions.UsersManage);
        if (id == user.Id)
        {
            throw new ConflictException("You cannot deactivate yourself.");
        }

        var recipients = request?.RecipientIds ?? [];
        var toPool = recipients.Count == 0 || request?.ToPool == true;
        var summary = await handOver.MoveAllAsync(user, id, new HandOverRequest(recipients, toPool), ct);
        return new DeactivatedUserDto(await SetActiveAsync(user, id, false, ct), summary);
    }

    /// <summary>Deactivates or reactivates a user: sign-in refused, sessions and tokens end; their records stay.</summary>
    public async Task<UserDto> SetActiveAsync(CurrentUser user, Guid id, bool active, CancellationToken ct = default)
    {
        user.Require(Permissions.UsersManage);
        if (id == user.Id && !active)
        {
            throw new ConflictException("You cannot deactivate yourself.");
        }

        await using var identity = IdentityFor(user);
        var userManager = identity.Users;
        var target = await userManager.FindByIdAsync(id.ToString()) ?? throw new NotFoundException("The user");
        if (target.ErasedAt is not null && active)
        {
            throw new ConflictException("An erased user cannot be reactivated.");
        }

        target.IsActive = active;
        target.DeactivatedAt = active ? null : clock.GetUtcNow().UtcDateTime;
        Check(await userManager.UpdateAsync(target));
        if (!active)
        {
            await EndSessionsAsync(userManager, dbFactory, clock, target, ct);
        }

        return await GetAsync(user, id, ct);
    }

    // Identity's user manager works on the scoped AppDbContext. A fresh scope per command keeps a long-lived Blazor
    // circuit from holding stale users, and names the acting user in the change history.
    private IdentityScope IdentityFor(CurrentUser actor)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<AppDbContext>().WithScope(actor.Scope, actor.Id);
        return new IdentityScope(scope);
    }

    private sealed class IdentityScope(AsyncServiceScope scope) : IAsyncDisposable
    {
        public UserManager<AppUser> Users { get; } = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }

    /// <summary>Ends every session of a user: cookies (security stamp) and bearer tokens.</summary>
    public static async Task EndSessionsAsync(UserManager<AppUser> userManager, IDbContextFactory<AppDbContext> dbFactory,
        TimeProvider clock, AppUser target, CancellationToken ct)
    {
        Check(await userManager.UpdateSecurityStampAsync(target));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var open = await db.ApiTokens.Where(t => t.UserId == target.Id && t.RevokedAt == null).ToListAsync(ct);
        foreach (var token in open)
        {
            token.RevokedAt = now;
        }

        await db.SaveChangesAsync(ct);
    }

    public static readonly IReadOnlyList<SortField<AppUser>> SortFields =
    [
        Keyset.Field<AppUser, string>("name", u => u.DisplayName),
        Keyset.Field<AppUser, string>("email", u => u.Email!),
        Keyset.Field<AppUser, DateTime>("createdAt", u => u.CreatedAt),
    ];

    /// <summary>People as a keyset-paged list (the API's list contract): search, team subtree, inactive too.</summary>
    public async Task<ListPage<UserDto>> PageAsync(CurrentUser user, UserFilter filter, ListRequest page, CancellationToken ct = default)
    {
        user.Require(Permissions.OrgRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var tree = await CurrentUserResolver.LoadTreeAsync(db, ct);
        var query = db.Users.AsNoTracking().Where(u => filter.IncludeInactive || u.IsActive);
        if (!string.IsNullOrWhiteSpace(filter.Q))
        {
            var q = filter.Q.Trim();
            query = query.Where(u => u.DisplayName.Contains(q) || (u.Email != null && u.Email.Contains(q)));
        }

        if (filter.TeamId is { } teamId)
        {
            var teams = tree.SubtreeOf(teamId).ToList();
            query = query.Where(u => u.TeamId != null && teams.Contains(u.TeamId.Value));
        }

        var found = await Keyset.PageAsync(query, page, SortFields, u => u.Id, u => u, ct);
        return new ListPage<UserDto>(await ToDtosAsync(db, tree, found.Items, ct), found.NextCursor, found.Count, found.CountCapped);
    }

    private static async Task<List<UserDto>> QueryAsync(AppDbContext db, bool includeInactive, Guid? id, CancellationToken ct)
    {
        var tree = await CurrentUserResolver.LoadTreeAsync(db, ct);
        var users = await db.Users.AsNoTracking()
            .Where(u => (includeInactive || u.IsActive) && (id == null || u.Id == id))
            .OrderBy(u => u.DisplayName)
            .ToListAsync(ct);
        return await ToDtosAsync(db, tree, users, ct);
    }

    private static async Task<List<UserDto>> ToDtosAsync(AppDbContext db, TeamTree tree, IReadOnlyList<AppUser> users, CancellationToken ct)
    {
        var ids = users.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        var rolesByUser = roles.ToLookup(r => r.UserId, r => r.Name!);
        return users.Select(u => new UserDto(u.Id, u.DisplayName, u.Email ?? "", u.PhoneNumber, u.TeamId,
            u.TeamId is { } t ? tree.Find(t)?.Name : null, u.HireDate, u.IsActive,
            Platform.Auth.Roles.All.Where(r => rolesByUser[u.Id].Contains(r)).ToList(),
            tree.ManagerOf(u.Id, u.TeamId), DateTime.SpecifyKind(u.CreatedAt, DateTimeKind.Utc))).ToList();
    }

    private static async Task EnsureTeamAsync(AppDbContext db, Guid teamId, CancellationToken ct)
    {
        if (!await db.Teams.AnyAsync(t => t.Id == teamId, ct))
        {
            throw Invalid("teamId", "The team does not exist.");
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new ValidationException(result.Errors.Select(e => new ValidationFailure(
                e.Code.Contains("Password", StringComparison.Ordinal) ? "password"
                : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? "email"
                : e.Code.Contains("Role", StringComparison.Ordinal) ? "roles" : "user",
                e.Description)));
        }
    }

    private static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);
}
