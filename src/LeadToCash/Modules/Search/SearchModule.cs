namespace LeadToCash.Modules.Search;

public static class SearchModule
{
    public static IServiceCollection AddSearch(this IServiceCollection services) => services.AddScoped<SearchHandler>();

    public static void MapSearch(this RouteGroupBuilder api) => api.MapGlobalSearch();
}
