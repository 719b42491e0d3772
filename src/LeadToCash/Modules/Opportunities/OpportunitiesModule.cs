using LeadToCash.Modules.Opportunities.Assign;
using LeadToCash.Modules.Opportunities.Checklist;
using LeadToCash.Modules.Opportunities.CreateOpportunity;
using LeadToCash.Modules.Opportunities.GetOpportunity;
using LeadToCash.Modules.Opportunities.ListOpportunities;
using LeadToCash.Modules.Opportunities.StageMoves;
using LeadToCash.Modules.Opportunities.UpdateOpportunity;

namespace LeadToCash.Modules.Opportunities;

/// <summary>Opportunities (商机) through gated pipelines: commands, stage history, list, board, forecast, pipelines.</summary>
public static class OpportunitiesModule
{
    public static IServiceCollection AddOpportunities(this IServiceCollection services) => services
        .AddScoped<CreateOpportunityHandler>()
        .AddScoped<GetOpportunityHandler>()
        .AddScoped<UpdateOpportunityHandler>()
        .AddScoped<ListOpportunitiesHandler>()
        .AddScoped<StageMovesHandler>()
        .AddScoped<AssignOpportunityHandler>()
        .AddScoped<OpportunityStagesHandler>();

    public static void MapOpportunities(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/opportunities").WithTags("Opportunities");
        group.MapListOpportunities();
        group.MapGetOpportunity();
        group.MapCreateOpportunity();
        group.MapUpdateOpportunity();
        group.MapStageMoves();
        group.MapAssignOpportunity();
        group.MapOpportunityStages();
    }
}
