using FluentValidation;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Receivables.Receipts;

public sealed class ReceiptRequestValidator : AbstractValidator<ReceiptRequest>
{
    public ReceiptRequestValidator()
    {
        RuleFor(x => x.AmountMinor).GreaterThan(0).LessThanOrEqualTo(1_000_000_000_000_000);
        RuleFor(x => x.ReceivedOn).InclusiveBetween(new DateOnly(2000, 1, 1), new DateOnly(2100, 12, 31));
        RuleFor(x => x.Method).NotEmpty().MaximumLength(40);
        RuleFor(x => x.Reference).MaximumLength(100);
        RuleFor(x => x.Notes).MaximumLength(1000);
        RuleFor(x => x.Allocations).Must(a => a is null || a.Count <= 60).WithMessage("At most 60 allocations.");
    }
}

/// <summary>
/// Receipts (回款记录), recorded by Finance against a contract that takes payments (signed and after). A receipt without
/// allocations is matched automatically, the oldest due instalment first; with allocations exactly as given. What no
/// instalment takes stays on the receipt as unallocated (an over-payment, flagged). Correcting or deleting a receipt
/// matches the contract's money again. One transaction per command; the contract's version serialises them.
/// </summary>
public sealed class ReceiptsHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private static readonly ReceiptRequestValidator Validator = new();

    public async Task<ReceiptDto> RecordAsync(CurrentUser user, Guid contractId, ReceiptRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.PaymentsRecord);
        await Validator.ValidateAndThrowAsync(request, ct);
        // Two receipts for one contract at the same moment: the contract's version lets one write first; the other is
        // matched again against what that one left owed.
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.OpenAsync(user, ct);
            var ledger = await ContractLedger.LoadAsync(db, contractId, ct);
            await CheckAsync(db, ledger, request, ct);
            var receipt = new PaymentReceipt
            {
                ContractId = contractId,
                ReceivedOn = request.ReceivedOn,
                AmountMinor = request.AmountMinor,
                Currency = ledger.Contract.Currency,
                Method = request.Method,
                Reference = Clean(request.Reference),
                Notes = Clean(request.Notes),
            };
            db.PaymentReceipts.Add(receipt);
            ledger.Receipts.Add(receipt);
            ledger.Allocate(receipt, Match(ledger, request));
            ledger.Recompute(clock.GetUtcNow().UtcDateTime);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                continue;
            }

            return await ReadAsync(db, user, receipt.Id, ct);
        }
    }

    public async Task<ReceiptDto> CorrectAsync(CurrentUser user, Guid receiptId, ReceiptRequest request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.PaymentsRecord);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var contractId = await ContractOfAsync(db, receiptId, ct);
        var ledger = await ContractLedger.LoadAsync(db, contractId, ct);
        var receipt = ledger.Receipts.Single(r => r.Id == receiptId);
        Versioning.EnsureVersion(receipt.Version, version);
        await CheckAsync(db, ledger, request, ct);
        receipt.ReceivedOn = request.ReceivedOn;
        receipt.AmountMinor = request.AmountMinor;
        receipt.Method = request.Method;
        receipt.Reference = Clean(request.Reference);
        receipt.Notes = Clean(request.Notes);
        ledger.Unallocate(receipt);
        ledger.Allocate(receipt, Match(ledger, request));
        ledger.Reflow();
        ledger.Recompute(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, user, receipt.Id, ct);
    }

    public async Task DeleteAsync(CurrentUser user, Guid receiptId, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.PaymentsRecord);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var contractId = await ContractOfAsync(db, receiptId, ct);
        var ledger = await ContractLedger.LoadAsync(db, contractId, ct);
        var receipt = ledger.Receipts.Single(r => r.Id == receiptId);
        Versioning.EnsureVersion(receipt.Version, version);
        ledger.Unallocate(receipt);
        ledger.Receipts.Remove(receipt);
        db.PaymentReceipts.Remove(receipt);
        ledger.Reflow();
        ledger.Recompute(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
    }

    private static MatchResult Match(ContractLedger ledger, ReceiptRequest request) =>
        request.Allocations is { Count: > 0 } given
            ? ReceiptMatching.Explicit(request.AmountMinor, [.. given.Select(a => new Allocation(a.InstalmentId, a.AmountMinor))], ledger.Open())
            : ReceiptMatching.Automatic(request.AmountMinor, ledger.Open());

    private static async Task CheckAsync(AppDbContext db, ContractLedger ledger, ReceiptRequest request, CancellationToken ct)
    {
        if (!ReceivablesStore.TakesPayments(ledger.Contract.Status))
        {
            throw new ConflictException($"Receipts are recorded for signed contracts; this one is {ledger.Contract.Status}.");
        }

        if (request.Currency is { Length: > 0 } currency && currency != ledger.Contract.Currency)
        {
            throw Invalid("currency", $"The contract is in {ledger.Contract.Currency}; record the receipt in {ledger.Contract.Currency}.");
        }

        await OptionCodes.EnsureValidAsync(db, ReceivablesOptions.PaymentMethods, request.Method, "method", ct);
    }

    private static async Task<Guid> ContractOfAsync(AppDbContext db, Guid receiptId, CancellationToken ct) =>
        await db.PaymentReceipts.Where(r => r.Id == receiptId && db.Contracts.Any(c => c.Id == r.ContractId)).Select(r => (Guid?)r.ContractId)
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundException("The receipt");

    private async Task<ReceiptDto> ReadAsync(AppDbContext db, CurrentUser user, Guid receiptId, CancellationToken ct)
    {
        var contractId = await ContractOfAsync(db, receiptId, ct);
        var today = await ReceivablesStore.CompanyTodayAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        var all = await ReceivablesStore.ReadAsync(db, user, contractId, today, ct);
        return all.Receipts.Single(r => r.Id == receiptId);
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static ValidationException Invalid(string field, string message) => new([new FluentValidation.Results.ValidationFailure(field, message)]);
}

public static class ReceiptEndpoints
{
    public static void MapReceipts(this RouteGroupBuilder contracts, RouteGroupBuilder receipts)
    {
        contracts.MapPost("/{id:guid}/receipts", async (Guid id, ReceiptRequest request, CurrentUser user, ReceiptsHandler handler, CancellationToken ct) =>
            {
                var receipt = await handler.RecordAsync(user, id, request, ct);
                return TypedResults.Created($"/api/v1/contracts/{id}/receivables", receipt);
            })
            .RequireAuthorization(Permissions.PaymentsRecord)
            .WithName("RecordReceipt")
            .WithSummary("Finance records money received for a signed contract: date, amount in minor units (the contract's currency), method " +
                "(option list payment-methods), reference. Without allocations it is matched to the instalments automatically, the oldest " +
                "due first; with allocations exactly as given (each at most what its instalment lacks). The rest is kept as " +
                "unallocatedMinor and flagged as an over-payment.");

        receipts.MapPut("/{id:guid}", async (Guid id, ReceiptRequest request, CurrentUser user, ReceiptsHandler handler, HttpContext http,
                CancellationToken ct) =>
            {
                var receipt = await handler.CorrectAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), ct);
                http.Response.Headers.ETag = $"\"{receipt.Version}\"";
                return TypedResults.Ok(receipt);
            })
            .RequireAuthorization(Permissions.PaymentsRecord)
            .WithName("CorrectReceipt")
            .WithSummary("Correct a receipt (send the version you read, field or If-Match): it is matched again, and money matched to no " +
                "instalment on the contract goes to what is still owed.");

        receipts.MapDelete("/{id:guid}", async (Guid id, int? version, CurrentUser user, ReceiptsHandler handler, HttpContext http,
                CancellationToken ct) =>
            {
                await handler.DeleteAsync(user, id, VersionHeader.Required(version, http.Request), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.PaymentsRecord)
            .WithName("DeleteReceipt")
            .WithSummary("Delete a receipt entered by mistake (?version= or If-Match); its instalments are owed again, and money matched " +
                "to no instalment on the contract goes to them.");
    }
}
