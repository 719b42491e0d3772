using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Web;

public static class AccountEndpoints
{
    /// <summary>
    /// POST /account/logout (a form with the antiforgery token): signs out and ends the user's other sessions too
    /// (a new security stamp invalidates every copy of the cookie).
    /// </summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/account/logout", async (HttpContext http, [FromForm] string? returnUrl, SignInManager<AppUser> signIn,
                UserManager<AppUser> users, IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, CancellationToken ct) =>
            {
                var user = await users.GetUserAsync(http.User);
                if (user is not null)
                {
                    await UsersHandler.EndSessionsAsync(users, dbFactory, clock, user, ct);
                }

                await signIn.SignOutAsync();
                return Results.LocalRedirect("/account/login");
            })
            .RequireAuthorization(Auth.Permissions.ProfileRead)
            .ExcludeFromDescription();
}
