using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Files;

public static class FilesModule
{
    public static IServiceCollection AddFiles(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Files").Get<FileOptions>() ?? new FileOptions());
        services.AddSingleton<FileStore>();
        services.AddScoped<AttachmentReader>();
        return services;
    }

    public static void MapFiles(this RouteGroupBuilder api) =>
        api.MapGet("/attachments/{id:guid}", async (Guid id, CurrentUser user, AttachmentReader reader, CancellationToken ct) =>
            {
                var (attachment, content) = await reader.OpenAsync(user, id, ct);
                // Images are shown inline; everything else downloads, so no uploaded file is rendered in our origin.
                return FileTypes.IsImage(attachment.ContentType)
                    ? Results.File(content, attachment.ContentType)
                    : Results.File(content, attachment.ContentType, attachment.FileName);
            })
            .RequireAuthorization(Permissions.ProfileRead)
            .WithTags("Attachments")
            .WithName("GetAttachment")
            .WithSummary("The content of an attached file, when its record is visible to the caller.");
}

/// <summary>Opens an attached file for a user who may see its record.</summary>
public sealed class AttachmentReader(IDbContextFactory<AppDbContext> dbFactory, FileStore store, IEnumerable<IAttachmentParent> parents)
{
    public async Task<(Attachment Attachment, Stream Content)> OpenAsync(CurrentUser user, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.OpenAsync(user, ct);
        var attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct)
            ?? throw new NotFoundException("The file");
        var parent = parents.FirstOrDefault(p => p.RecordType == attachment.RecordType);
        if (parent is null || !await parent.IsVisibleAsync(db, user, attachment.RecordId, ct))
        {
            throw new NotFoundException("The file");
        }

        return (attachment, store.OpenRead(attachment));
    }

    /// <summary>The files of some records of one type, oldest first per record (the caller has checked the records are visible).</summary>
    public static async Task<ILookup<Guid, AttachmentDto>> OfAsync(AppDbContext db, string recordType, IReadOnlyCollection<Guid> recordIds,
        CancellationToken ct) =>
        (await db.Attachments.AsNoTracking().Where(a => a.RecordType == recordType && recordIds.Contains(a.RecordId))
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync(ct))
        .ToLookup(a => a.RecordId, AttachmentDto.From);
}
