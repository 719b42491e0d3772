using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Import;

namespace LeadToCash.Modules.Opportunities.ImportOpportunities;

/// <summary>Deals from a spreadsheet through the shared import pipeline, with their values matched to the system's.</summary>
public static class OpportunityImportModule
{
    public static IServiceCollection AddOpportunityImport(this IServiceCollection services) => services
        .AddScoped<OpportunityImporter>()
        .AddScoped<IRecordImporter>(sp => sp.GetRequiredService<OpportunityImporter>());

    public static void MapOpportunityImport(this RouteGroupBuilder api) =>
        api.MapSpreadsheetImport<OpportunityImporter>("/opportunities/imports", "Opportunity", Permissions.OpportunitiesImport, "Opportunities",
            "opportunities (deals: customer, owner, product, stage, dates, amount; options {\"pipeline\": id}; the customer, owner, " +
            "product and stage values are matched to the system's, see the job's values)");
}
