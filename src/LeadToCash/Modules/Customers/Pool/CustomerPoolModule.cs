using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Jobs;

namespace LeadToCash.Modules.Customers.Pool;

/// <summary>The customer pool (公海): team rules, the return job, claim, release and assignment, and the customers' hand-over part.</summary>
public static class CustomerPoolModule
{
    public static IServiceCollection AddCustomerPool(this IServiceCollection services) => services
        .AddScoped<PoolRulesHandler>()
        .AddScoped<ClaimCustomerHandler>()
        .AddScoped<AssignCustomerHandler>()
        .AddScoped<IHandOverPart, CustomerHandOverPart>()
        .AddScheduledWork<CustomerPoolReturnJob>("customers.pool-return", TimeSpan.FromMinutes(5));

    public static void MapCustomerPool(this RouteGroupBuilder api)
    {
        api.MapGroup("/customers").WithTags("Customers").MapClaimCustomer();
        api.MapPoolRules();
    }
}
