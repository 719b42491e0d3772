using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Opportunities.Assign;
using LeadToCash.Modules.Opportunities.Board;
using LeadToCash.Modules.Opportunities.Checklist;
using LeadToCash.Modules.Opportunities.CreateOpportunity;
using LeadToCash.Modules.Opportunities.Forecast;
using LeadToCash.Modules.Opportunities.GetOpportunity;
using LeadToCash.Modules.Opportunities.ListOpportunities;
using LeadToCash.Modules.Opportunities.Pipelines;
using LeadToCash.Modules.Opportunities.StageMoves;
using LeadToCash.Modules.Opportunities.Timeline;
using LeadToCash.Modules.Opportunities.UpdateOpportunity;
using LeadToCash.Modules.Organization;

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
        .AddScoped<OpportunityStagesHandler>()
        .AddScoped<BoardHandler>()
        .AddScoped<ForecastHandler>()
        .AddScoped<PipelinesHandler>()
        .AddScoped<ICustomerTimelineSource, OpportunityTimelineSource>()
        .AddScoped<IHandOverPart, OpportunityHandOverPart>();

    public static void MapOpportunities(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/opportunities").WithTags("Opportunities");
        group.MapBoard();
        group.MapForecast();
        group.MapListOpportunities();
        group.MapGetOpportunity();
        group.MapCreateOpportunity();
        group.MapUpdateOpportunity();
        group.MapStageMoves();
        group.MapAssignOpportunity();
        group.MapOpportunityStages();
        api.MapPipelines();
    }
}
