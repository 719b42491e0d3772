using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Import;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LeadToCash.Modules.Leads.ImportLeads;

public static class LeadImportModule
{
    public static IServiceCollection AddLeadImport(this IServiceCollection services)
    {
        services.TryAddScoped<LeadDesk>();
        services.AddScoped<LeadImporter>();
        services.AddScoped<IRecordImporter>(sp => sp.GetRequiredService<LeadImporter>());
        return services;
    }

    public static void MapLeadImport(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/leads/imports").WithTags("Leads").RequireAuthorization(Permissions.LeadsImport);

        group.MapGet("/", async (CurrentUser user, LeadImporter importer, SpreadsheetImports imports, CancellationToken ct) =>
                TypedResults.Ok(await imports.ListAsync(user, importer, ct)))
            .WithName("ListLeadImports")
            .WithSummary("The caller's recent lead imports (an Admin sees everyone's), newest first.");

        group.MapPost("/", async (IFormFile? file, CurrentUser user, LeadImporter importer, SpreadsheetImports imports, CancellationToken ct) =>
            {
                if (file is null)
                {
                    throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("file", "Choose an .xlsx or .csv file to upload.")]);
                }

                await using var content = file.OpenReadStream();
                var job = await imports.UploadAsync(user, importer, file.FileName, content, ct);
                return TypedResults.Created($"/api/v1/leads/imports/{job.Id}", job);
            })
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(SpreadsheetImports.MaxFileBytes + (1024 * 1024)))
            .WithName("UploadLeadImport")
            .WithSummary("Upload an .xlsx or .csv of leads (multipart field 'file'; CSV in UTF-8 or GBK/GB18030). Answers the job with " +
                "the detected columns, the suggested mapping and a checked preview of the first rows; nothing is imported yet.");

        group.MapPost("/{id:guid}/preview", async (Guid id, StartImportRequest request, CurrentUser user, LeadImporter importer,
                SpreadsheetImports imports, CancellationToken ct) =>
                TypedResults.Ok(await imports.PreviewAsync(user, importer, id, request, ct)))
            .WithName("PreviewLeadImport")
            .WithSummary("Check the first rows again under a corrected mapping (one field key or null per column) and defaults; saves nothing.");

        group.MapPost("/{id:guid}/start", async (Guid id, StartImportRequest request, CurrentUser user, LeadImporter importer,
                SpreadsheetImports imports, CancellationToken ct) =>
            {
                var job = await imports.StartAsync(user, importer, id, request, ct);
                return TypedResults.Accepted($"/api/v1/leads/imports/{job.Id}", job);
            })
            .WithName("StartLeadImport")
            .WithSummary("Start the import with the mapping (one field key or null per column), the default source channel, the " +
                "team and whether the leads are assigned to the caller. Runs in the background: poll the job for progress. A failed " +
                "or interrupted job can be started again; rows already imported are skipped.");

        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, LeadImporter importer, SpreadsheetImports imports, CancellationToken ct) =>
                TypedResults.Ok(await imports.GetAsync(user, importer, id, ct)))
            .WithName("GetLeadImport")
            .WithSummary("Progress and summary of a lead import: rows processed of total, created, duplicates, rejected.");

        group.MapGet("/{id:guid}/rejected", async (Guid id, CurrentUser user, LeadImporter importer, SpreadsheetImports imports,
                CancellationToken ct) =>
            {
                var (content, name) = await imports.RejectedFileAsync(user, importer, id, ct);
                return TypedResults.File(content, ImportFiles.XlsxContentType, name);
            })
            .WithName("GetLeadImportRejectedRows")
            .WithSummary("The rows that were not imported, as .xlsx, with the row number and the reason in the first columns.");
    }
}
