using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Files;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Tasks.CompleteTask;

/// <summary>The assignee's completion: a note and evidence files (sent as multipart with the files under "files").</summary>
public sealed record CompleteTaskRequest(string? Note = null, int? Version = null);

public sealed class CompleteTaskHandler(IDbContextFactory<AppDbContext> dbFactory, FileStore files, TimeProvider clock)
{
    public const int MaxFiles = 10;

    /// <summary>
    /// Open or returned → done, by the assignee only. When the task has a completion standard, a note or at least one
    /// evidence file is required. The files are stored with the change or not at all.
    /// </summary>
    public async Task<TaskDto> HandleAsync(CurrentUser user, Guid id, CompleteTaskRequest request, int version,
        IReadOnlyList<FileUpload> evidence, CancellationToken ct = default)
    {
        user.Require(Permissions.TasksOwn);
        var note = TaskAccess.Clean(request.Note);
        if (note is { Length: > 2000 })
        {
            throw new ValidationException([new ValidationFailure("note", "The completion note must be at most 2000 characters.")]);
        }

        if (evidence.Count > MaxFiles)
        {
            throw new ValidationException([new ValidationFailure("files", $"Attach at most {MaxFiles} files.")]);
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var task = await TaskAccess.LoadVisibleAsync(db, id, ct);
        if (task.OwnerId != user.Id)
        {
            throw new ForbiddenException("Only the assignee can complete a task.");
        }

        if (!TaskRules.IsOpen(task.Status))
        {
            throw new ConflictException($"This task is already {task.Status.ToString().ToLowerInvariant()}.");
        }

        Versioning.EnsureVersion(task.Version, version);
        if (task.CompletionStandard is not null && note is null && evidence.Count == 0
            && !await db.Attachments.AnyAsync(a => a.RecordType == WorkTask.RecordType && a.RecordId == task.Id, ct))
        {
            throw new ValidationException([new ValidationFailure("note",
                "This task has a completion standard: describe how it was met or attach evidence.")]);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var staged = new List<StagedFile>();
        try
        {
            foreach (var file in evidence)
            {
                staged.Add(await files.StageAsync(db, WorkTask.RecordType, task.Id, file, now, "files", ct));
            }

            task.Status = WorkTaskStatus.Done;
            task.CompletedAt = now;
            task.CompletionNote = note;
            if (task.CreatedBy is { } creator && creator != user.Id)
            {
                Notify.Add(db, creator, TaskNotifications.Done, TaskRules.TaskLink(task.Id), WorkTask.RecordType, task.Id, now,
                    task.Title, user.DisplayName);
            }

            await db.SaveChangesAsync(ct);
            staged.ForEach(s => s.Commit());
        }
        finally
        {
            foreach (var file in staged)
            {
                await file.DisposeAsync();
            }
        }

        return await TaskAccess.ReadAsync(db, user, task.Id, now, ct);
    }
}

public static class CompleteTaskEndpoint
{
    /// <summary>The multipart form of a completion, for the API description.</summary>
    public sealed record CompleteTaskForm(string? Note, int? Version, IFormFileCollection? Files);

    public static void MapCompleteTask(this RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/complete", async (Guid id, HttpRequest http, CurrentUser user, CompleteTaskHandler handler,
                CancellationToken ct) =>
            {
                if (!http.HasFormContentType)
                {
                    CompleteTaskRequest body;
                    try
                    {
                        body = await http.ReadFromJsonAsync<CompleteTaskRequest>(ct) ?? new CompleteTaskRequest();
                    }
                    catch (System.Text.Json.JsonException e)
                    {
                        // The same 400 naming the field as a body the framework binds itself.
                        throw new BadHttpRequestException("The body could not be read.", StatusCodes.Status400BadRequest, e);
                    }

                    return TypedResults.Ok(await handler.HandleAsync(user, id, body, VersionHeader.Required(body.Version, http), [], ct));
                }

                var form = await http.ReadFormAsync(ct);
                int? version = int.TryParse(form["version"], System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
                var request = new CompleteTaskRequest(form["note"].ToString(), version);
                var uploads = new List<FileUpload>();
                try
                {
                    foreach (var file in form.Files)
                    {
                        uploads.Add(new FileUpload(file.FileName, file.OpenReadStream()));
                    }

                    return TypedResults.Ok(await handler.HandleAsync(user, id, request, VersionHeader.Required(version, http), uploads, ct));
                }
                finally
                {
                    foreach (var upload in uploads)
                    {
                        await upload.Content.DisposeAsync();
                    }
                }
            })
            .RequireAuthorization(Permissions.TasksOwn)
            // Bearer clients and the same-site cookie (SameSite=Lax) are the only callers; like the other uploads.
            .DisableAntiforgery()
            .Accepts<CompleteTaskForm>("multipart/form-data", "application/json")
            .WithMetadata(new RequestSizeLimitAttribute(CompleteTaskHandler.MaxFiles * 10L * 1024 * 1024))
            .WithName("CompleteTask")
            .WithSummary("The assignee completes a task: multipart/form-data with 'note', 'version' and evidence files (any field " +
                "name; jpg, png, gif, webp, pdf, docx, xlsx, pptx, txt, csv; 10 MB each), or JSON {note, version}. A task with a " +
                "completion standard needs a note or evidence.");
}
