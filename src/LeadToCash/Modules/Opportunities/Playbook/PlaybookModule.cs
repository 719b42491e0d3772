using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;

namespace LeadToCash.Modules.Opportunities.Playbook;

/// <summary>The sales playbook (销售打法) per stage: talk tracks, objections with answers, success cases.</summary>
public static class PlaybookModule
{
    public static IServiceCollection AddPlaybook(this IServiceCollection services) => services.AddScoped<PlaybookHandler>();

    public static void MapPlaybook(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/playbook").WithTags("Playbook");
        group.MapGet("/", async (Guid? stageId, Guid? pipelineId, string? q, string? kind, CurrentUser user, PlaybookHandler handler,
                CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, new PlaybookFilter(stageId, pipelineId, q, ParseKind(kind)), ct)))
            .RequireAuthorization(Permissions.PlaybookRead)
            .WithName("ListPlaybook")
            .WithSummary("Playbook entries by pipeline and stage order: ?stageId=&pipelineId=&kind=talkTrack|objection|successCase&q= " +
                "(searches title, body and tags, ignoring case); at most 500.");
        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, PlaybookHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var entry = await handler.GetAsync(user, id, ct);
                http.Response.Headers.ETag = $"\"{entry.Version}\"";
                return TypedResults.Ok(entry);
            })
            .RequireAuthorization(Permissions.PlaybookRead)
            .WithName("GetPlaybookEntry")
            .WithSummary("One playbook entry, with its version (also sent as ETag).");
        group.MapPost("/", async (PlaybookEntryRequest request, CurrentUser user, PlaybookHandler handler, CancellationToken ct) =>
            {
                var created = await handler.CreateAsync(user, request, ct);
                return TypedResults.Created($"/api/v1/playbook/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.PlaybookManage)
            .WithName("CreatePlaybookEntry")
            .WithSummary("Add an entry (managers) to a stage, last in its order: kind, title (the objection, for an objection), body " +
                "(the answer), tags.");
        group.MapPut("/{id:guid}", async (Guid id, PlaybookEntryRequest request, CurrentUser user, PlaybookHandler handler, HttpContext http,
                CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.PlaybookManage)
            .WithName("UpdatePlaybookEntry")
            .WithSummary("Change an entry (managers); send the version you read. Moved to another stage, it goes last there.");
        group.MapDelete("/{id:guid}", async (Guid id, int? version, CurrentUser user, PlaybookHandler handler, HttpContext http,
                CancellationToken ct) =>
            {
                await handler.DeleteAsync(user, id, VersionHeader.Required(version, http.Request), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.PlaybookManage)
            .WithName("DeletePlaybookEntry")
            .WithSummary("Remove an entry (managers); send its version (?version= or If-Match).");
        group.MapPost("/reorder", async (PlaybookReorderRequest request, CurrentUser user, PlaybookHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ReorderAsync(user, request, ct)))
            .RequireAuthorization(Permissions.PlaybookManage)
            .WithName("ReorderPlaybook")
            .WithSummary("Put a stage's entries in a new order (managers): every entry id of the stage once, first to last.");
    }

    private static PlaybookKind? ParseKind(string? kind) =>
        string.IsNullOrWhiteSpace(kind) ? null
        : Enum.TryParse<PlaybookKind>(kind, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
        : throw new ValidationException([new ValidationFailure("kind", "kind must be talkTrack, objection or successCase.")]);
}
