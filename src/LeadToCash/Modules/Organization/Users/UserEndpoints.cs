using LeadToCash.Platform.Auth;

namespace LeadToCash.Modules.Organization.Users;

public sealed record MeDto(Guid Id, string DisplayName, string Email, Guid? TeamId, string? TeamName,
    IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions);

public sealed record UserQuery(string? Q, Guid? TeamId, bool? IncludeInactive, int? Limit, string? Cursor, string? Sort)
{
    public UserFilter Filter => new(Q, TeamId, IncludeInactive ?? false);

    public Platform.Api.ListRequest Page => new(Limit, Cursor, Sort);
}

public static class UserEndpoints
{
    public static void MapUsers(this RouteGroupBuilder api)
    {
        api.MapGet("/me", (CurrentUser user) => TypedResults.Ok(new MeDto(user.Id, user.DisplayName, user.Email,
                user.TeamId, user.TeamName, [.. user.Roles.Order(StringComparer.Ordinal)], [.. user.Permissions.Order(StringComparer.Ordinal)])))
            .RequireAuthorization(Permissions.ProfileRead)
            .WithTags("Organisation")
            .WithName("Me")
            .WithSummary("Who the caller is: team, roles and the operations they may perform.");

        var group = api.MapGroup("/users").WithTags("Organisation");
        group.MapGet("/", async ([AsParameters] UserQuery query, CurrentUser user, UsersHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.PageAsync(user, query.Filter, query.Page, ct)))
            .RequireAuthorization(Permissions.OrgRead)
            .WithName("ListUsers")
            .WithSummary("People: ?q=&teamId= (with its sub-teams)&includeInactive=&limit=&cursor=&sort=(name|email|createdAt, - for descending).");
        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, UsersHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.GetAsync(user, id, ct)))
            .RequireAuthorization(Permissions.OrgRead)
            .WithName("GetUser");
        group.MapPost("/", async (CreateUserRequest request, CurrentUser user, UsersHandler handler, CancellationToken ct) =>
            {
                var created = await handler.CreateAsync(user, request, ct);
                return TypedResults.Created($"/api/v1/users/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.UsersManage)
            .WithName("CreateUser");
        group.MapPut("/{id:guid}", async (Guid id, UpdateUserRequest request, CurrentUser user, UsersHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, id, request, ct)))
            .RequireAuthorization(Permissions.UsersManage)
            .WithName("UpdateUser");
        group.MapPost("/{id:guid}/deactivate", async (Guid id, DeactivateUserRequest? request, CurrentUser user, UsersHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.DeactivateAsync(user, id, request, ct)))
            .RequireAuthorization(Permissions.UsersManage)
            .WithName("DeactivateUser")
            .WithSummary("Hand over the user's open work, then refuse their sign-ins and end their sessions and tokens. Optional body " +
                "{recipientIds, toPool}: colleagues who receive the leads, customers and tasks round-robin; without recipients (or with " +
                "toPool) leads and customers go to the pool of the user's team and tasks to their manager. Answers the user with " +
                "the hand-over summary.");
        group.MapPost("/{id:guid}/reactivate", async (Guid id, CurrentUser user, UsersHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.SetActiveAsync(user, id, true, ct)))
            .RequireAuthorization(Permissions.UsersManage)
            .WithName("ReactivateUser");
        group.MapPost("/{id:guid}/erase", async (Guid id, CurrentUser user, ErasePersonalDataHandler handler, CancellationToken ct) =>
            {
                await handler.HandleAsync(user, id, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.PersonalDataErase)
            .WithName("ErasePersonalData")
            .WithSummary("Anonymise a person's personal data, also in the change history (PIPL/GDPR); the erasure is logged.");
    }
}
