using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Receivables.Plan;

public sealed class InstalmentRequestValidator : AbstractValidator<InstalmentRequest>
{
    public InstalmentRequestValidator()
    {
        RuleFor(x => x.Label).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Notes).MaximumLength(1000);
        RuleFor(x => x.DueDate).InclusiveBetween(new DateOnly(2000, 1, 1), new DateOnly(2100, 12, 31));
        RuleFor(x => x.AmountMinor).GreaterThan(0).LessThanOrEqualTo(1_000_000_000_000_000);
        RuleFor(x => x.Percent).GreaterThan(0m).LessThanOrEqualTo(100m).PrecisionScale(9, 4, ignoreTrailingZeros: true);
        RuleFor(x => x.AmountMinor).Must((x, amount) => amount is null != x.Percent is null)
            .WithMessage("Give either an amount or a percentage of the contract amount.");
    }
}

public sealed class PaymentPlanRequestValidator : AbstractValidator<PaymentPlanRequest>
{
    public const int MaxInstalments = 60;

    public PaymentPlanRequestValidator()
    {
        RuleFor(x => x.Instalments).NotNull().Must(l => l is null || l.Count <= MaxInstalments)
            .WithMessage($"A payment plan has at most {MaxInstalments} instalments.");
        RuleForEach(x => x.Instalments).SetValidator(new InstalmentRequestValidator());
    }
}

/// <summary>
/// A signed contract's payment plan (回款计划): the whole plan is written at once and must add up to the contract amount.
/// Those who may change the contract write it (owner, managers above, Admin). An instalment already (partly) paid keeps
/// its amount and due date and stays in the plan; money matched to no instalment goes to the new plan's oldest instalments.
/// </summary>
public sealed class PaymentPlanHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private static readonly PaymentPlanRequestValidator Validator = new();

    public async Task<ContractReceivablesDto> ReadAsync(CurrentUser user, Guid contractId, CancellationToken ct = default)
    {
        user.Require(Permissions.ReceivablesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var today = await ReceivablesStore.CompanyTodayAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        return await ReceivablesStore.ReadAsync(db, user, contractId, today, ct);
    }

    public async Task<ContractReceivablesDto> SetAsync(CurrentUser user, Guid contractId, PaymentPlanRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsEdit);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var ledger = await ContractLedger.LoadAsync(db, contractId, ct);
        var contract = ledger.Contract;
        if (!await ReceivablesStore.CanEditPlanAsync(db, user, contract, ct))
        {
            throw new ForbiddenException("You can see this contract but may not change its payment plan.");
        }

        if (!ReceivablesStore.PlanOpen(contract.Status))
        {
            throw new ConflictException($"Only a signed contract gets a payment plan; this one is {contract.Status}.");
        }

        var rows = request.Instalments;
        var amounts = PaymentPlanMath.Amounts(contract.AmountMinor, [.. rows.Select(r => new PlannedShare(r.AmountMinor, r.Percent))]);
        var failures = new List<ValidationFailure>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (amounts[i] <= 0)
            {
                failures.Add(new ValidationFailure($"instalments[{i}].percent", "The percentage gives an amount of zero; use a larger share."));
            }
        }

        var total = amounts.Sum();
        if (rows.Count == 0)
        {
            failures.Add(new ValidationFailure("instalments", "A payment plan needs at least one instalment."));
        }
        else if (rows.All(r => r.Percent is not null) && rows.Sum(r => r.Percent!.Value) != 100m)
        {
            failures.Add(new ValidationFailure("instalments",
                $"The percentages add up to {rows.Sum(r => r.Percent!.Value).ToString("0.####", CultureInfo.InvariantCulture)}%, not 100%."));
        }
        else if (total != contract.AmountMinor)
        {
            failures.Add(new ValidationFailure("instalments",
                $"The instalments add up to {total} minor units; the contract amount is {contract.AmountMinor} ({(total > contract.AmountMinor ? "over" : "short")} by {Math.Abs(total - contract.AmountMinor)})."));
        }

        var existing = ledger.Instalments.ToDictionary(i => i.Id);
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Id is { } id && !existing.ContainsKey(id))
            {
                failures.Add(new ValidationFailure($"instalments[{i}].id", "The instalment is not part of this contract's payment plan."));
            }
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        // Paid money stays where it is: a (partly) paid instalment keeps its amount and due date and cannot be removed.
        foreach (var paid in ledger.Instalments.Where(i => ledger.AllocatedTo(i.Id) > 0))
        {
            var index = rows.ToList().FindIndex(r => r.Id == paid.Id);
            if (index < 0)
            {
                throw new ConflictException($"Instalment {paid.SeqNo} ({paid.Label}) has received money; it cannot be removed from the plan.");
            }

            if (amounts[index] != paid.AmountMinor || rows[index].DueDate != paid.DueDate)
            {
                throw new ConflictException($"Instalment {paid.SeqNo} ({paid.Label}) has received money; its amount and due date cannot change.");
            }
        }

        var kept = new List<PaymentInstalment>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var instalment = row.Id is { } id ? existing[id] : new PaymentInstalment { ContractId = contract.Id, Label = row.Label.Trim() };
            instalment.Label = row.Label.Trim();
            instalment.DueDate = row.DueDate;
            instalment.AmountMinor = amounts[i];
            instalment.Percent = row.Percent ?? PaymentPlanMath.PercentOf(amounts[i], contract.AmountMinor);
            instalment.Notes = string.IsNullOrWhiteSpace(row.Notes) ? null : row.Notes.Trim();
            if (row.Id is null)
            {
                db.PaymentInstalments.Add(instalment);
            }

            kept.Add(instalment);
        }

        foreach (var removed in ledger.Instalments.Except(kept).ToList())
        {
            db.PaymentInstalments.Remove(removed);
            ledger.Instalments.Remove(removed);
        }

        ledger.Instalments.Clear();
        var seq = 1;
        foreach (var instalment in kept.Select((k, i) => (k, i)).OrderBy(x => x.k.DueDate).ThenBy(x => x.i).Select(x => x.k))
        {
            instalment.SeqNo = seq++;
            ledger.Instalments.Add(instalment);
        }

        ledger.Reflow();
        var now = clock.GetUtcNow().UtcDateTime;
        ledger.Recompute(now);
        await db.SaveChangesAsync(ct);
        return await ReceivablesStore.ReadAsync(db, user, contract.Id, ReceivablesStore.CompanyDate(await ZoneAsync(db, ct), now), ct);
    }

    private static async Task<string> ZoneAsync(AppDbContext db, CancellationToken ct) =>
        await db.CompanySettings.AsNoTracking().Select(c => c.TimeZone).FirstOrDefaultAsync(ct) ?? "Asia/Shanghai";
}

public static class PaymentPlanEndpoints
{
    public static void MapPaymentPlan(this RouteGroupBuilder contracts)
    {
        contracts.MapGet("/{id:guid}/receivables", async (Guid id, CurrentUser user, PaymentPlanHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ReadAsync(user, id, ct)))
            .RequireAuthorization(Permissions.ReceivablesRead)
            .WithName("GetContractReceivables")
            .WithSummary("A visible contract's payment plan, receipts (with their matching to instalments) and invoices, with the totals " +
                "received, outstanding, overdue, unallocated (over-payments) and invoiced, in minor units of the contract's currency.");

        contracts.MapPut("/{id:guid}/payment-plan", async (Guid id, PaymentPlanRequest request, CurrentUser user, PaymentPlanHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.SetAsync(user, id, request, ct)))
            .RequireAuthorization(Permissions.ContractsEdit)
            .WithName("SetPaymentPlan")
            .WithSummary("Write the payment plan of a signed contract (it replaces the earlier one; keep an instalment's id to keep it). " +
                "Each instalment gives an amount in minor units or a percentage of the contract amount (rounded half away from zero; when " +
                "all are percentages the last takes the remainder); together they must equal the contract amount (400 naming " +
                "`instalments`). An instalment that has received money keeps its amount and due date (409).");
    }
}
