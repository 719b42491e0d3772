using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;

namespace LeadToCash.Modules.Company;

public static class CompanyModule
{
    public static IServiceCollection AddCompany(this IServiceCollection services) => services
        .AddScoped<CompanySettingsHandler>()
        .AddScoped<HolidaysHandler>();

    public static void MapCompany(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings").WithTags("Company settings");
        group.MapGet("/company", async (CurrentUser user, CompanySettingsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.GetAsync(user, ct)))
            .RequireAuthorization(Permissions.SettingsRead)
            .WithName("GetCompanySettings");
        group.MapPut("/company", async (UpdateCompanySettingsRequest request, CurrentUser user, CompanySettingsHandler handler,
                HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.SettingsManage)
            .WithName("UpdateCompanySettings")
            .WithSummary("Time zone, currency, working days (7 chars from Monday, e.g. 1111100) and hours; send the version.");
        group.MapGet("/calendar/deadline", async (DateTime from, double workingHours, CompanySettingsHandler handler, CancellationToken ct) =>
            {
                if (workingHours is < 0 or > 10_000)
                {
                    throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("workingHours", "workingHours must be between 0 and 10000.")]);
                }

                var calendar = await handler.CalendarAsync(ct);
                var deadline = calendar.AddWorkingTime(from.ToUniversalTime(), TimeSpan.FromHours(workingHours));
                return TypedResults.Ok(new { from = from.ToUniversalTime(), workingHours, deadline = DateTime.SpecifyKind(deadline, DateTimeKind.Utc) });
            })
            .RequireAuthorization(Permissions.SettingsRead)
            .WithName("WorkingDeadline")
            .WithSummary("When N working hours after a moment end, by the company's working days, hours and holidays.");

        group.MapGet("/holidays", async (int? year, CurrentUser user, HolidaysHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, year, ct)))
            .RequireAuthorization(Permissions.SettingsRead)
            .WithName("ListHolidays");
        group.MapPost("/holidays", async (SaveHolidayRequest request, CurrentUser user, HolidaysHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.SaveAsync(user, request, ct)))
            .RequireAuthorization(Permissions.SettingsManage)
            .WithName("SaveHoliday")
            .WithSummary("Add a holiday or make-up working day (isWorkingDay = true), replacing what the date had.");
        group.MapDelete("/holidays/{id:guid}", async (Guid id, CurrentUser user, HolidaysHandler handler, CancellationToken ct) =>
            {
                await handler.DeleteAsync(user, id, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.SettingsManage)
            .WithName("DeleteHoliday");
        group.MapPost("/holidays/import", async (IFormFile file, CurrentUser user, HolidaysHandler handler, CancellationToken ct) =>
            {
                await using var stream = file.OpenReadStream();
                var result = await handler.ImportAsync(user, stream, file.FileName, ct);
                return result.Errors.Count > 0
                    ? Results.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [.. result.Errors] })
                    : Results.Ok(result);
            })
            .RequireAuthorization(Permissions.SettingsManage)
            .DisableAntiforgery()
            .WithName("ImportHolidays")
            .WithSummary("Import holidays from .csv/.xlsx (Date, Name, WorkingDay or 日期, 名称, 调休上班); nothing is written if a row is bad.");
    }
}
