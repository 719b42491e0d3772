using LeadToCash.Modules.Contracts.Editing;
using LeadToCash.Modules.Contracts.Jobs;
using LeadToCash.Modules.Contracts.ListContracts;
using LeadToCash.Modules.Contracts.Milestones;
using LeadToCash.Modules.Contracts.Settings;
using LeadToCash.Modules.Contracts.Workflow;
using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Files;
using LeadToCash.Platform.Jobs;

namespace LeadToCash.Modules.Contracts;

public static class ContractsModule
{
    public static IServiceCollection AddContracts(this IServiceCollection services) => services
        .AddScoped<ContractEditingHandler>()
        .AddScoped<ContractWorkflowHandler>()
        .AddScoped<ContractMilestonesHandler>()
        .AddScoped<ListContractsHandler>()
        .AddScoped<ContractSettingsHandler>()
        .AddScoped<IApprovalSubject, ContractApprovalSubject>()
        .AddScoped<ICustomerTimelineSource, ContractTimelineSource>()
        .AddSingleton<IAttachmentParent, ContractAttachmentParent>()
        .AddScheduledWork<ContractArchiveReminderJob>("contracts.archive-reminder", TimeSpan.FromMinutes(15));

    public static void MapContracts(this RouteGroupBuilder api)
    {
        var contracts = api.MapGroup("/contracts").WithTags("Contracts");
        contracts.MapListContracts();
        contracts.MapContractEditing();
        contracts.MapContractWorkflow();
        contracts.MapContractMilestones();
        api.MapContractSettings();
    }
}
