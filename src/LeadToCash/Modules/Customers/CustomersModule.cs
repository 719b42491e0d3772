using LeadToCash.Modules.Customers.Collaborators;
using LeadToCash.Modules.Customers.Contacts;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Modules.Customers.DeleteCustomer;
using LeadToCash.Modules.Customers.ExportCustomers;
using LeadToCash.Modules.Customers.GetCustomer;
using LeadToCash.Modules.Customers.ListCustomers;
using LeadToCash.Modules.Customers.Merge;
using LeadToCash.Modules.Customers.NeedsAnalyses;
using LeadToCash.Modules.Customers.UpdateCustomer;

namespace LeadToCash.Modules.Customers;

public static class CustomersModule
{
    public static IServiceCollection AddCustomers(this IServiceCollection services) => services
        .AddScoped<ListCustomersHandler>()
        .AddScoped<GetCustomerHandler>()
        .AddScoped<CreateCustomerHandler>()
        .AddScoped<UpdateCustomerHandler>()
        .AddScoped<DeleteCustomerHandler>()
        .AddScoped<ExportCustomersHandler>()
        .AddScoped<CustomerCollaboratorsHandler>()
        .AddScoped<ContactsHandler>()
        .AddScoped<NeedsAnalysesHandler>()
        .AddScoped<ListNeedsAnalysesHandler>()
        .AddScoped<MergeCustomersHandler>();

    public static void MapCustomers(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/customers").WithTags("Customers");
        group.MapListCustomers();
        group.MapExportCustomers();
        group.MapGetCustomer();
        group.MapCreateCustomer();
        group.MapUpdateCustomer();
        group.MapDeleteCustomer();
        group.MapCustomerCollaborators();
        group.MapContacts();
        group.MapCustomerNeedsAnalyses();
        api.MapNeedsAnalyses();
        group.MapMergeCustomers();
    }
}
