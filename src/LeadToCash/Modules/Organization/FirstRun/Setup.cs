using FluentValidation;
using LeadToCash.Modules.Company;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Options;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Organization.FirstRun;

public sealed record SetupRequest(string CompanyName, string AdminName, string AdminEmail, string Password);

public sealed class SetupValidator : AbstractValidator<SetupRequest>
{
    public SetupValidator()
    {
        RuleFor(x => x.CompanyName).NotEmpty().MaximumLength(200);
        RuleFor(x => x.AdminName).NotEmpty().MaximumLength(100);
        RuleFor(x => x.AdminEmail).NotEmpty().EmailAddress().MaximumLength(256);
        RuleFor(x => x.Password).NotEmpty().MinimumLength(12).MaximumLength(256);
    }
}

/// <summary>
/// The one-time setup of an empty installation: the company, its top team and the first Admin.
/// Used by the /setup page and by the <c>create-admin</c> command.
/// </summary>
public sealed class SetupHandler(
    IDbContextFactory<AppDbContext> dbFactory,
    UserManager<AppUser> userManager,
    RoleManager<AppRole> roleManager,
    TimeProvider clock)
{
    private static readonly SetupValidator Validator = new();

    public async Task<bool> IsSetUpAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AnyAsync(ct);
    }

    public async Task<AppUser> HandleAsync(SetupRequest request, CancellationToken ct = default)
    {
        await Validator.ValidateAndThrowAsync(request, ct);
        await ReferenceData.EnsureAsync(dbFactory, roleManager, ct);
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        if (await db.Users.AnyAsync(ct))
        {
            throw new ConflictException("This installation is already set up; sign in instead.");
        }

        var company = await db.CompanySettings.FirstOrDefaultAsync(ct);
        if (company is null)
        {
            db.CompanySettings.Add(new CompanySettings { Name = request.CompanyName.Trim() });
        }

        var root = await db.Teams.FirstOrDefaultAsync(t => t.ParentId == null, ct);
        if (root is null)
        {
            root = new Team { Name = request.CompanyName.Trim(), Kind = TeamKind.Company };
            db.Teams.Add(root);
        }

        await db.SaveChangesAsync(ct);
        var admin = await UsersHandler.CreateUserAsync(userManager, clock,
            new CreateUserRequest(request.AdminEmail, request.AdminName, request.Password, root.Id, [Roles.Admin]), ct);
        root.HeadUserId ??= admin.Id;
        await db.SaveChangesAsync(ct);
        return admin;
    }
}

/// <summary>Rows every installation needs: the roles and the default option lists.</summary>
public static class ReferenceData
{
    public static async Task EnsureAsync(IDbContextFactory<AppDbContext> dbFactory, RoleManager<AppRole> roles, CancellationToken ct)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new AppRole(role));
            }
        }

        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        var existing = (await db.OptionItems.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter])
            .Select(o => o.ListKey + "/" + o.Code).ToListAsync(ct)).ToHashSet();
        foreach (var option in DefaultOptions.All.Where(o => !existing.Contains(o.ListKey + "/" + o.Code)))
        {
            db.OptionItems.Add(option);
        }

        await db.SaveChangesAsync(ct);
        await DefaultPipeline.EnsureAsync(db, ct);
    }
}
