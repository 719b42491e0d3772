using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Receivables.Invoices;

public sealed class InvoiceRequestValidator : AbstractValidator<InvoiceRequest>
{
    public InvoiceRequestValidator()
    {
        RuleFor(x => x.Number).NotEmpty().MaximumLength(40);
        RuleFor(x => x.AmountMinor).GreaterThan(0).LessThanOrEqualTo(1_000_000_000_000_000);
        RuleFor(x => x.IssuedOn).InclusiveBetween(new DateOnly(2000, 1, 1), new DateOnly(2100, 12, 31));
        RuleFor(x => x.Kind).MaximumLength(40);
        RuleFor(x => x.Notes).MaximumLength(1000);
    }
}

/// <summary>
/// Invoices issued against a signed contract (开票), recorded by Finance: the number is unique, and together the invoices
/// never exceed the contract amount. The contract keeps their sum (InvoicedMinor).
/// </summary>
public sealed class InvoicesHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private static readonly InvoiceRequestValidator Validator = new();

    public async Task<InvoiceDto> RecordAsync(CurrentUser user, Guid contractId, InvoiceRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.PaymentsRecord);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var contract = await ReceivablesStore.VisibleContractAsync(db, contractId, ct);
        if (!ReceivablesStore.TakesPayments(contract.Status))
        {
            throw new ConflictException($"Invoices are recorded for signed contracts; this one is {contract.Status}.");
        }

        await OptionCodes.EnsureValidAsync(db, ReceivablesOptions.InvoiceKinds, request.Kind, "kind", ct);
        var number = request.Number.Trim();
        // Invoice numbers are unique across the company: only the number is read, whoever's contract it is on.
        if (await db.Invoices.AnyAsync(i => i.Number == number, ct))
        {
            throw Invalid("number", $"An invoice numbered {number} is already recorded.");
        }

        var invoiced = await db.Invoices.Where(i => i.ContractId == contractId).SumAsync(i => i.AmountMinor, ct);
        if (invoiced + request.AmountMinor > contract.AmountMinor)
        {
            throw Invalid("amountMinor",
                $"The invoices would add up to {invoiced + request.AmountMinor} minor units, more than the contract amount {contract.AmountMinor}.");
        }

        var invoice = new Invoice
        {
            ContractId = contractId,
            Number = number,
            IssuedOn = request.IssuedOn,
            AmountMinor = request.AmountMinor,
            Kind = request.Kind,
            Notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim(),
        };
        db.Invoices.Add(invoice);
        contract.InvoicedMinor = invoiced + request.AmountMinor;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException)
        {
            throw Invalid("number", $"An invoice numbered {number} is already recorded.");
        }

        var by = await db.Users.Where(u => u.Id == user.Id).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        return new InvoiceDto(invoice.Id, invoice.Number, invoice.IssuedOn, invoice.AmountMinor, invoice.Kind, invoice.Notes, by, invoice.Version);
    }

    public async Task DeleteAsync(CurrentUser user, Guid invoiceId, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.PaymentsRecord);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var invoice = await db.Invoices.FirstOrDefaultAsync(i => i.Id == invoiceId && db.Contracts.Any(c => c.Id == i.ContractId), ct)
            ?? throw new NotFoundException("The invoice");
        Versioning.EnsureVersion(invoice.Version, version);
        var contract = await ReceivablesStore.VisibleContractAsync(db, invoice.ContractId, ct);
        contract.InvoicedMinor = await db.Invoices.Where(i => i.ContractId == contract.Id && i.Id != invoice.Id).SumAsync(i => i.AmountMinor, ct);
        // A deleted invoice keeps its row (soft delete, in its history), and the number its unique index: the number moves
        // out of the way so that the invoice can be recorded again correctly.
        invoice.Number = $"{invoice.Number[..Math.Min(invoice.Number.Length, 31)]}~{invoice.Id.ToString("N")[..8]}";
        invoice.IsDeleted = true;
        invoice.DeletedAt = clock.GetUtcNow().UtcDateTime;
        invoice.DeletedBy = user.Id;
        await db.SaveChangesAsync(ct);
    }

    private static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);
}

public static class InvoiceEndpoints
{
    public static void MapInvoices(this RouteGroupBuilder contracts, RouteGroupBuilder invoices)
    {
        contracts.MapPost("/{id:guid}/invoices", async (Guid id, InvoiceRequest request, CurrentUser user, InvoicesHandler handler, CancellationToken ct) =>
            {
                var invoice = await handler.RecordAsync(user, id, request, ct);
                return TypedResults.Created($"/api/v1/contracts/{id}/receivables", invoice);
            })
            .RequireAuthorization(Permissions.PaymentsRecord)
            .WithName("RecordInvoice")
            .WithSummary("Finance records an invoice issued against a signed contract: number (unique), date, amount in minor units, kind " +
                "(option list invoice-kinds). The invoices of a contract never exceed its amount.");

        invoices.MapDelete("/{id:guid}", async (Guid id, int? version, CurrentUser user, InvoicesHandler handler, HttpContext http, CancellationToken ct) =>
            {
                await handler.DeleteAsync(user, id, VersionHeader.Required(version, http.Request), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.PaymentsRecord)
            .WithName("DeleteInvoice")
            .WithSummary("Delete an invoice recorded by mistake (?version= or If-Match).");
    }
}
