using LeadToCash.Modules.Receivables.Invoices;
using LeadToCash.Modules.Receivables.Jobs;
using LeadToCash.Modules.Receivables.Plan;
using LeadToCash.Modules.Receivables.Receipts;
using LeadToCash.Modules.Receivables.Views;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Jobs;

namespace LeadToCash.Modules.Receivables;

/// <summary>Payment plans (回款计划), receipts (回款记录) and their matching, invoices (开票), overdue reminders and the receivables views.</summary>
public static class ReceivablesModule
{
    public static IServiceCollection AddReceivables(this IServiceCollection services) => services
        .AddScoped<PaymentPlanHandler>()
        .AddScoped<ReceiptsHandler>()
        .AddScoped<InvoicesHandler>()
        .AddScoped<ReceivablesViewHandler>()
        .AddScoped<CustomerReceivablesHandler>()
        .AddScheduledWork<OverdueReminderJob>("receivables.overdue-reminder", TimeSpan.FromMinutes(30));

    public static void MapReceivables(this RouteGroupBuilder api)
    {
        var contracts = api.MapGroup("/contracts").WithTags("Receivables");
        contracts.MapPaymentPlan();
        contracts.MapReceipts(api.MapGroup("/receipts").WithTags("Receivables"));
        contracts.MapInvoices(api.MapGroup("/invoices").WithTags("Receivables"));
        api.MapGroup("/receivables").WithTags("Receivables").MapReceivablesViews();
        api.MapGroup("/customers").WithTags("Receivables")
            .MapGet("/{id:guid}/receivables", async (Guid id, CurrentUser user, CustomerReceivablesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, id, ct)))
            .RequireAuthorization(Permissions.ReceivablesRead)
            .WithName("GetCustomerReceivables")
            .WithSummary("A visible customer's receivables over the signed contracts the caller may see, per currency: contracts, amount, " +
                "received, outstanding, overdue and invoiced (minor units).");
    }
}
