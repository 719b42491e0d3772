using LeadToCash.Modules.Organization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LeadToCash.Platform.Auth;

/// <summary>Identity's sign-in manager, refusing deactivated users and logging every sign-in attempt.</summary>
public sealed partial class AppSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user) => user.IsActive && await base.CanSignInAsync(user);

    public override async Task<SignInResult> CheckPasswordSignInAsync(AppUser user, string password, bool lockoutOnFailure)
    {
        var result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        var outcome = result.Succeeded ? "succeeded"
            : result.IsLockedOut ? "locked out" : result.IsNotAllowed ? "not allowed" : "wrong password";
        var who = user.Email ?? user.Id.ToString();
        LogSignIn(Logger, who, outcome);
        return result;
    }

    public static void LogUnknownUser(ILogger logger, string email) => LogSignIn(logger, email, "unknown user");

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in for {Email}: {Outcome}")]
    private static partial void LogSignIn(ILogger logger, string email, string outcome);
}
