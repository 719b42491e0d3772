using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using Microsoft.AspNetCore.Mvc;

namespace LeadToCash.Platform.Import;

/// <summary>
/// The import API of one kind of record on a route group (e.g. /customers/imports): list, upload, preview, start, progress
/// and the rejected rows, each requiring the importer's permission. Names are "{Verb}{Name}Import" (UploadCustomerImport…).
/// </summary>
public static class ImportEndpoints
{
    public static RouteGroupBuilder MapSpreadsheetImport<TImporter>(this RouteGroupBuilder api, string path, string name, string permission,
        string tag, string records)
        where TImporter : IRecordImporter
    {
        var group = api.MapGroup(path).WithTags(tag).RequireAuthorization(permission);
        var location = $"/api/v1{path}";

        group.MapGet("/", async (CurrentUser user, HttpContext http, SpreadsheetImports imports, CancellationToken ct) =>
                TypedResults.Ok(await imports.ListAsync(user, Importer<TImporter>(http), ct)))
            .WithName($"List{name}Imports")
            .WithSummary($"The caller's recent imports of {records} (an Admin sees everyone's), newest first.");

        group.MapPost("/", async (IFormFile? file, CurrentUser user, HttpContext http, SpreadsheetImports imports, CancellationToken ct) =>
            {
                if (file is null)
                {
                    throw new ValidationException([new ValidationFailure("file", "Choose an .xlsx or .csv file to upload.")]);
                }

                await using var content = file.OpenReadStream();
                var job = await imports.UploadAsync(user, Importer<TImporter>(http), file.FileName, content, ct);
                return TypedResults.Created($"{location}/{job.Id}", job);
            })
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(SpreadsheetImports.MaxFileBytes + (1024 * 1024)))
            .WithName($"Upload{name}Import")
            .WithSummary($"Upload an .xlsx or .csv of {records} (multipart field 'file'; CSV in UTF-8 or GBK/GB18030). Answers the job " +
                "with the detected columns, the suggested mapping and a checked preview of the first rows; nothing is imported yet.");

        group.MapPost("/{id:guid}/preview", async (Guid id, StartImportRequest request, CurrentUser user, HttpContext http,
                SpreadsheetImports imports, CancellationToken ct) =>
                TypedResults.Ok(await imports.PreviewAsync(user, Importer<TImporter>(http), id, request, ct)))
            .WithName($"Preview{name}Import")
            .WithSummary("Check the first rows again under a corrected mapping (one field key or null per column) and defaults; saves nothing.");

        group.MapPost("/{id:guid}/start", async (Guid id, StartImportRequest request, CurrentUser user, HttpContext http,
                SpreadsheetImports imports, CancellationToken ct) =>
            {
                var job = await imports.StartAsync(user, Importer<TImporter>(http), id, request, ct);
                return TypedResults.Accepted($"{location}/{job.Id}", job);
            })
            .WithName($"Start{name}Import")
            .WithSummary("Start the import with the mapping (one field key or null per column) and the run's defaults. Runs in the " +
                "background: poll the job for progress. A failed or interrupted job can be started again; rows already imported are skipped.");

        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, HttpContext http, SpreadsheetImports imports, CancellationToken ct) =>
                TypedResults.Ok(await imports.GetAsync(user, Importer<TImporter>(http), id, ct)))
            .WithName($"Get{name}Import")
            .WithSummary($"Progress and summary of an import of {records}: rows processed of total, created, duplicates, rejected.");

        group.MapGet("/{id:guid}/rejected", async (Guid id, CurrentUser user, HttpContext http, SpreadsheetImports imports,
                CancellationToken ct) =>
            {
                var (content, fileName) = await imports.RejectedFileAsync(user, Importer<TImporter>(http), id, ct);
                return TypedResults.File(content, ImportFiles.XlsxContentType, fileName);
            })
            .WithName($"Get{name}ImportRejectedRows")
            .WithSummary("The rows that were not imported, as .xlsx, with the row number and the reason in the first columns.");
        return group;
    }

    // The importer is looked up rather than bound: the route handler analyzer cannot follow a type parameter.
    private static TImporter Importer<TImporter>(HttpContext http) where TImporter : IRecordImporter =>
        http.RequestServices.GetRequiredService<TImporter>();
}
