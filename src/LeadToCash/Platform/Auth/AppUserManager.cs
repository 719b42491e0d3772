using LeadToCash.Modules.Organization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LeadToCash.Platform.Auth;

/// <summary>
/// Identity's user manager with lockout on the app's <see cref="TimeProvider"/>: the stock one reads
/// <c>DateTimeOffset.UtcNow</c> when it locks an account and when it checks a lockout.
/// </summary>
public sealed class AppUserManager(
    IUserStore<AppUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<AppUser> passwordHasher,
    IEnumerable<IUserValidator<AppUser>> userValidators,
    IEnumerable<IPasswordValidator<AppUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<AppUser>> logger,
    TimeProvider clock)
    : UserManager<AppUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer,
        errors, services, logger)
{
    private IUserLockoutStore<AppUser> LockoutStore =>
        Store as IUserLockoutStore<AppUser> ?? throw new NotSupportedException("The user store does not support lockout.");

    public override async Task<bool> IsLockedOutAsync(AppUser user)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(user);
        if (!await LockoutStore.GetLockoutEnabledAsync(user, CancellationToken))
        {
            return false;
        }

        return await LockoutStore.GetLockoutEndDateAsync(user, CancellationToken) >= clock.GetUtcNow();
    }

    public override async Task<IdentityResult> AccessFailedAsync(AppUser user)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(user);
        var count = await LockoutStore.IncrementAccessFailedCountAsync(user, CancellationToken);
        if (count >= Options.Lockout.MaxFailedAccessAttempts)
        {
            await LockoutStore.SetLockoutEndDateAsync(user, clock.GetUtcNow().Add(Options.Lockout.DefaultLockoutTimeSpan), CancellationToken);
            await LockoutStore.ResetAccessFailedCountAsync(user, CancellationToken);
        }

        return await UpdateUserAsync(user);
    }
}
