using LeadToCash.Platform.Jobs;

namespace LeadToCash.Modules.Search;

public static class SearchModule
{
    public static IServiceCollection AddSearch(this IServiceCollection services) => services
        .AddScoped<SearchHandler>()
        .AddScheduledWork<SearchIndexOptimizeJob>("search.optimize", SearchIndexOptimizeJob.Interval);

    public static void MapSearch(this RouteGroupBuilder api) => api.MapGlobalSearch();
}
