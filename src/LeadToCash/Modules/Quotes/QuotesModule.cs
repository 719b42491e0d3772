using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Quotes.Documents;
using LeadToCash.Modules.Quotes.Editing;
using LeadToCash.Modules.Quotes.Reading;
using LeadToCash.Modules.Quotes.Timeline;
using LeadToCash.Modules.Quotes.Workflow;
using LeadToCash.Platform.Approvals;

namespace LeadToCash.Modules.Quotes;

public static class QuotesModule
{
    public static IServiceCollection AddQuotes(this IServiceCollection services) => services
        .AddApprovals()
        .AddScoped<QuoteReadingHandler>()
        .AddScoped<QuoteEditingHandler>()
        .AddScoped<QuoteWorkflowHandler>()
        .AddScoped<QuoteDocumentsHandler>()
        .AddScoped<IApprovalSubject, QuoteApprovalSubject>()
        .AddScoped<ICustomerTimelineSource, QuoteTimelineSource>();

    public static void MapQuotes(this RouteGroupBuilder api)
    {
        var opportunities = api.MapGroup("/opportunities").WithTags("Quotes");
        var quotes = api.MapGroup("/quotes").WithTags("Quotes");
        opportunities.MapQuoteReading(quotes);
        opportunities.MapQuoteEditing(quotes);
        quotes.MapQuoteWorkflow();
        quotes.MapQuoteDocuments();
        api.MapApprovals();
    }
}
