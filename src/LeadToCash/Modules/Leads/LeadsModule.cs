using LeadToCash.Modules.Leads.Activities;
using LeadToCash.Modules.Leads.Assignment;
using LeadToCash.Modules.Leads.Conversion;
using LeadToCash.Modules.Leads.CreateLead;
using LeadToCash.Modules.Leads.Disqualify;
using LeadToCash.Modules.Leads.GetLead;
using LeadToCash.Modules.Leads.Merge;
using LeadToCash.Modules.Leads.Screening;
using LeadToCash.Modules.Leads.UpdateLead;
using LeadToCash.Modules.Organization;

namespace LeadToCash.Modules.Leads;

public static class LeadsModule
{
    public static IServiceCollection AddLeads(this IServiceCollection services) => services
        .AddScoped<LeadDesk>()
        .AddScoped<CreateLeadHandler>()
        .AddScoped<UpdateLeadHandler>()
        .AddScoped<GetLeadHandler>()
        .AddScoped<ScreenLeadHandler>()
        .AddScoped<AssignLeadHandler>()
        .AddScoped<ClaimLeadHandler>()
        .AddScoped<LogLeadActivityHandler>()
        .AddScoped<DisqualifyLeadHandler>()
        .AddScoped<ConvertLeadHandler>()
        .AddScoped<MergeLeadsHandler>()
        .AddScoped<IHandOverPart, LeadHandOverPart>();

    public static void MapLeads(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/leads").WithTags("Leads");
        group.MapCreateLead();
        group.MapGetLead();
        group.MapUpdateLead();
        group.MapScreenLead();
        group.MapAssignLead();
        group.MapLogLeadActivity();
        group.MapDisqualifyLead();
        group.MapConvertLead();
        group.MapMergeLeads();
    }
}
