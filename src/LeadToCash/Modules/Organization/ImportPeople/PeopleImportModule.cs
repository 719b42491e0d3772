using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Import;

namespace LeadToCash.Modules.Organization.ImportPeople;

/// <summary>People and teams from a spreadsheet, through the shared import pipeline (Admin: users.manage).</summary>
public static class PeopleImportModule
{
    public static IServiceCollection AddPeopleImport(this IServiceCollection services) => services
        .AddScoped<PeopleImporter>()
        .AddScoped<IRecordImporter>(sp => sp.GetRequiredService<PeopleImporter>());

    public static void MapPeopleImport(this RouteGroupBuilder api) =>
        api.MapSpreadsheetImport<PeopleImporter>("/users/imports", "People", Permissions.UsersManage, "Organisation",
            "people (name, e-mail, manager, team, role; teams and managers are created as needed)");
}
