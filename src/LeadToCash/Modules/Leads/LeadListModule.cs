using LeadToCash.Modules.Leads.BulkActions;
using LeadToCash.Modules.Leads.ExportLeads;
using LeadToCash.Modules.Leads.ListLeads;

namespace LeadToCash.Modules.Leads;

/// <summary>The lead list: its filters and paging, the export and the bulk actions on selected leads.</summary>
public static class LeadListModule
{
    public static IServiceCollection AddLeadList(this IServiceCollection services) => services
        .AddScoped<ListLeadsHandler>()
        .AddScoped<ExportLeadsHandler>()
        .AddScoped<BulkLeadsHandler>();

    public static void MapLeadList(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/leads").WithTags("Leads");
        group.MapListLeads();
        group.MapExportLeads();
        group.MapBulkLeads();
    }
}
