using LeadToCash.Modules.Search;
using LeadToCash.Platform.Localization;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Components.Layout;

/// <summary>Where a search result leads and the line under its name, for the search box and the results page.</summary>
public static class SearchLinks
{
    public const string Customers = "Customers";
    public const string Contacts = "Contacts";
    public const string Leads = "Leads";

    /// <summary>A customer's page; a contact's customer's page; a lead's page.</summary>
    public static string Href(string kind, SearchHit hit) => kind switch
    {
        Contacts => $"/customers/{hit.CustomerId}",
        Leads => $"/leads/{hit.Id}",
        _ => $"/customers/{hit.Id}",
    };

    /// <summary>Customer: owner (or pool) · region. Contact: customer · title. Lead: contact · status · owner.</summary>
    public static string Detail(string kind, SearchHit hit, IStringLocalizer<SharedResource> strings)
    {
        IEnumerable<string?> parts = kind switch
        {
            Contacts => [hit.CustomerName, hit.Detail],
            Leads => [hit.Detail, hit.Status is { } status ? strings[$"Leads.Status.{status}"].Value : null, hit.OwnerName],
            _ => [hit.OwnerName ?? strings["Customers.Pool"].Value, hit.Detail],
        };
        return string.Join(" · ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));
    }
}
