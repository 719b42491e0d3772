using LeadToCash.Modules.Customers.ExportContacts;
using LeadToCash.Modules.Customers.ImportCustomers;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Import;

namespace LeadToCash.Modules.Customers;

/// <summary>Customers and their contacts in spreadsheets: the import (the shared pipeline) and the contacts' export.</summary>
public static class CustomerSpreadsheetsModule
{
    public static IServiceCollection AddCustomerSpreadsheets(this IServiceCollection services) => services
        .AddScoped<CustomerImporter>()
        .AddScoped<IRecordImporter>(sp => sp.GetRequiredService<CustomerImporter>())
        .AddScoped<ExportContactsHandler>();

    public static void MapCustomerSpreadsheets(this RouteGroupBuilder api)
    {
        api.MapSpreadsheetImport<CustomerImporter>("/customers/imports", "Customer", Permissions.CustomersImport, "Customers",
            "customers and their contacts");
        api.MapGroup("/contacts").WithTags("Customers").MapExportContacts();
    }
}
