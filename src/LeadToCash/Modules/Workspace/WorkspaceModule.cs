using LeadToCash.Modules.Workspace.SavedViews;

namespace LeadToCash.Modules.Workspace;

/// <summary>A person's own workspace: saved views of the lists.</summary>
public static class WorkspaceModule
{
    public static IServiceCollection AddWorkspace(this IServiceCollection services) => services
        .AddScoped<SavedViewsHandler>();

    public static void MapWorkspace(this RouteGroupBuilder api) => api.MapSavedViews();
}
