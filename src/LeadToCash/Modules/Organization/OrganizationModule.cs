using LeadToCash.Modules.Organization.Auth;
using LeadToCash.Modules.Organization.HandOver;
using LeadToCash.Modules.Organization.ImportPeople;
using LeadToCash.Modules.Organization.Teams;
using LeadToCash.Modules.Organization.Tokens;
using LeadToCash.Modules.Organization.Users;

namespace LeadToCash.Modules.Organization;

public static class OrganizationModule
{
    public static IServiceCollection AddOrganization(this IServiceCollection services) => services
        .AddScoped<IssueTokenHandler>()
        .AddScoped<PersonalTokensHandler>()
        .AddScoped<TeamsHandler>()
        .AddScoped<UsersHandler>()
        .AddScoped<ErasePersonalDataHandler>()
        .AddScoped<HandOverHandler>()
        .AddScoped<FirstRun.SetupHandler>()
        .AddPeopleImport();

    public static void MapOrganization(this RouteGroupBuilder api)
    {
        api.MapAuthEndpoints();
        api.MapPersonalTokens();
        api.MapTeams();
        api.MapUsers();
        api.MapHandOver();
        api.MapPeopleImport();
    }
}
