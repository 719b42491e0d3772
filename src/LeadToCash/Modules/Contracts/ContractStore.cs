using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Files;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Contracts;

/// <summary>
/// How contracts are reached and written. A contract is scoped (its owner, their managers, Edit collaborators, Finance and
/// Admin see it); its lines, signers, milestones and files are reached through it. Changing it needs the right to change
/// the record (owner, managers above, Admin) — otherwise 404 for the invisible and 403 for the visible.
/// </summary>
public static class ContractStore
{
    public const int MaxTitleLength = 200;
    public const int MaxTextLength = 4000;
    public const int MaxReasonLength = 1000;
    public const int MaxTermsLength = 1000;
    public const int MaxNotesLength = 2000;

    public static async Task<Contract> VisibleAsync(AppDbContext db, Guid contractId, CancellationToken ct) =>
        await db.Contracts.FirstOrDefaultAsync(c => c.Id == contractId, ct) ?? throw new NotFoundException("The contract");

    public static async Task<Contract> ChangeableAsync(AppDbContext db, CurrentUser user, Guid contractId, CancellationToken ct)
    {
        var contract = await VisibleAsync(db, contractId, ct);
        return await RecordAccess.CanChangeAsync(db, user, contract, ct)
            ? contract
            : throw new ForbiddenException("You can see this contract but may not change it.");
    }

    /// <summary>The company's settings (the defaults when never saved).</summary>
    public static async Task<ContractSettings> SettingsAsync(AppDbContext db, CancellationToken ct) =>
        await db.ContractSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new ContractSettings();

    /// <summary>The company's date now (numbers count per company year).</summary>
    public static async Task<DateOnly> CompanyTodayAsync(AppDbContext db, DateTime utcNow, CancellationToken ct)
    {
        var zoneId = await db.CompanySettings.AsNoTracking().Select(c => c.TimeZone).FirstOrDefaultAsync(ct) ?? "Asia/Shanghai";
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc), zone));
    }

    public static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);

    /// <summary>Lines of a request with their totals (quantity × unit price less the discount, rounded half away from zero).</summary>
    public static List<ContractLine> Lines(Guid contractId, IReadOnlyList<ContractLineRequest>? requests)
    {
        requests ??= [];
        var failures = new List<ValidationFailure>();
        var lines = new List<ContractLine>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            var field = $"lines[{i}]";
            if (string.IsNullOrWhiteSpace(r.Description) || r.Description.Trim().Length > 500)
            {
                failures.Add(new ValidationFailure($"{field}.description", "A line needs a description of at most 500 characters."));
                continue;
            }

            if (r.Quantity <= 0 || r.Quantity > 1_000_000_000m)
            {
                failures.Add(new ValidationFailure($"{field}.quantity", "The quantity must be above 0."));
                continue;
            }

            if (r.UnitPriceMinor < 0)
            {
                failures.Add(new ValidationFailure($"{field}.unitPriceMinor", "The unit price cannot be negative."));
                continue;
            }

            if (r.DiscountPercent is < 0 or > 100)
            {
                failures.Add(new ValidationFailure($"{field}.discountPercent", "The discount must be between 0 and 100."));
                continue;
            }

            var line = new ContractLine
            {
                ContractId = contractId,
                SortOrder = i,
                ProductCode = string.IsNullOrWhiteSpace(r.ProductCode) ? null : r.ProductCode.Trim(),
                Description = r.Description.Trim(),
                Unit = string.IsNullOrWhiteSpace(r.Unit) ? null : r.Unit.Trim(),
                Quantity = r.Quantity,
                UnitPriceMinor = r.UnitPriceMinor,
                DiscountPercent = r.DiscountPercent,
            };
            try
            {
                line.LineTotalMinor = QuoteMath.LineTotal(line.Quantity, line.UnitPriceMinor, line.DiscountPercent);
            }
            catch (OverflowException)
            {
                failures.Add(new ValidationFailure($"{field}.quantity", "The line's amount is too large."));
                continue;
            }

            lines.Add(line);
        }

        return failures.Count > 0 ? throw new ValidationException(failures) : lines;
    }

    /// <summary>The sum of the lines, minor units (checked: an overflow is a field error).</summary>
    public static long Sum(IEnumerable<ContractLine> lines)
    {
        try
        {
            return lines.Aggregate(0L, (sum, l) => checked(sum + l.LineTotalMinor));
        }
        catch (OverflowException)
        {
            throw Invalid("lines", "The contract's total is too large.");
        }
    }

    /// <summary>The signing contacts: contacts of the contract's (visible) customer.</summary>
    public static async Task<List<Guid>> SignersAsync(AppDbContext db, Guid customerId, IReadOnlyList<Guid>? contactIds, CancellationToken ct)
    {
        var ids = (contactIds ?? []).Distinct().ToList();
        if (ids.Count == 0)
        {
            return ids;
        }

        var known = await db.Contacts.AsNoTracking()
            .Where(c => ids.Contains(c.Id) && c.CustomerId == customerId && db.Customers.Any(x => x.Id == c.CustomerId))
            .Select(c => c.Id).ToListAsync(ct);
        return known.Count == ids.Count ? ids : throw Invalid("signerContactIds", "Every signer must be a contact of the contract's customer.");
    }

    /// <summary>One visible contract with everything its page shows.</summary>
    public static async Task<ContractDto> ReadAsync(AppDbContext db, CurrentUser user, Guid contractId, CancellationToken ct)
    {
        var c = await db.Contracts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == contractId, ct) ?? throw new NotFoundException("The contract");
        var customer = await db.Customers.AsNoTracking().Where(x => x.Id == c.CustomerId).Select(x => x.Name).FirstOrDefaultAsync(ct);
        var opportunity = c.OpportunityId is { } oid
            ? await db.Opportunities.AsNoTracking().Where(o => o.Id == oid).Select(o => o.Name).FirstOrDefaultAsync(ct)
            : null;
        var quote = c.QuoteId is { } qid
            ? await db.Quotes.AsNoTracking().Where(q => q.Id == qid && db.Opportunities.Any(o => o.Id == q.OpportunityId))
                .Select(q => q.Number + " v" + q.VersionNo).FirstOrDefaultAsync(ct)
            : null;
        var lines = await db.ContractLines.AsNoTracking().Where(l => l.ContractId == c.Id).OrderBy(l => l.SortOrder)
            .Select(l => new ContractLineDto(l.Id, l.SortOrder, l.ProductId, l.ProductCode, l.Description, l.Unit, l.Quantity, l.UnitPriceMinor,
                l.DiscountPercent, l.LineTotalMinor))
            .ToListAsync(ct);
        var signers = await (from s in db.ContractSigners.AsNoTracking()
                             where s.ContractId == c.Id
                             join contact in db.Contacts.AsNoTracking() on s.ContactId equals contact.Id
                             orderby contact.Name
                             select new ContractSignerDto(contact.Id, contact.Name, contact.Title)).ToListAsync(ct);
        var milestones = await MilestonesAsync(db, c.Id, ct);
        var attachments = (await db.Attachments.AsNoTracking().Where(a => a.RecordType == Contract.RecordType && a.RecordId == c.Id)
            .OrderBy(a => a.CreatedAt).ToListAsync(ct)).Select(AttachmentDto.From).ToList();
        var approvals = await ApprovalsAsync(db, user, c.Id, ct);
        var people = new[] { c.OwnerId, c.SignedBy }.OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var canChange = user.Has(Permissions.ContractsEdit) && await RecordAccess.CanChangeAsync(db, user, c, ct);
        var canTerminate = user.Has(Permissions.ContractsTerminate) && await RecordAccess.CanChangeAsync(db, user, c, ct);
        return new ContractDto(c.Id, c.Number, c.Title, c.Status, c.CustomerId, customer, c.OpportunityId, opportunity, c.QuoteId, quote,
            c.AmountMinor, c.Currency, c.SigningDate, c.StartDate, c.EndDate, c.PaymentTerms, c.KeyClauses, c.Notes, c.OwnerId,
            c.OwnerId is { } owner ? names.GetValueOrDefault(owner) : null, Utc(c.SignedAt), c.SignedBy is { } by ? names.GetValueOrDefault(by) : null,
            Utc(c.ArchivedAt), Utc(c.CompletedAt), Utc(c.TerminatedAt), c.TerminationReason, c.ReceivedMinor, c.InvoicedMinor, Utc(c.CreatedAt),
            Utc(c.UpdatedAt), c.Version, lines, signers, milestones, attachments, approvals, canChange, canTerminate);
    }

    public static async Task<List<ContractMilestoneDto>> MilestonesAsync(AppDbContext db, Guid contractId, CancellationToken ct) =>
        await db.ContractMilestones.AsNoTracking().Where(m => m.ContractId == contractId).OrderBy(m => m.SortOrder).ThenBy(m => m.CreatedAt)
            .Select(m => new ContractMilestoneDto(m.Id, m.SortOrder, m.Name, m.PlannedDate, m.ActualDate, m.Notes, m.Version))
            .ToListAsync(ct);

    /// <summary>Every approval round of the contract, oldest first, with its steps.</summary>
    private static async Task<List<ContractApprovalDto>> ApprovalsAsync(AppDbContext db, CurrentUser user, Guid contractId, CancellationToken ct)
    {
        var requests = await db.ApprovalRequests.AsNoTracking()
            .Where(r => r.RecordType == Contract.RecordType && r.RecordId == contractId)
            .OrderBy(r => r.RequestedAt).ThenBy(r => r.Id).ToListAsync(ct);
        if (requests.Count == 0)
        {
            return [];
        }

        var ids = requests.Select(r => r.Id).ToList();
        var steps = await db.ApprovalSteps.AsNoTracking().Where(s => ids.Contains(s.RequestId)).OrderBy(s => s.StepNo).ToListAsync(ct);
        var people = steps.Select(s => s.ApproverId).Concat(requests.Select(r => r.RequestedBy)).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return [.. requests.Select(r => new ContractApprovalDto(r.Id, r.Status, ApprovalReason.Text(r), Utc(r.RequestedAt), Utc(r.DecidedAt),
            names.GetValueOrDefault(r.RequestedBy),
            [.. steps.Where(s => s.RequestId == r.Id).Select(s => new ContractApprovalStepDto(s.StepNo, s.Role, names.GetValueOrDefault(s.ApproverId),
                s.Status, s.Comment, Utc(s.DecidedAt)))])
            {
                CanWithdraw = ApprovalService.CanWithdrawNow(r, user),
            })];
    }

    public static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <summary>
    /// Whether the customer bought before this contract: another signed contract or another won deal, or a customer stage
    /// that this contract's own won deal did not set (e.g. an imported customer).
    /// </summary>
    internal static async Task<bool> BoughtBeforeAsync(AppDbContext db, Customer customer, Contract contract, CancellationToken ct)
    {
        if (customer.Stage == LifecycleStage.RepeatCustomer
            || await db.Contracts.AnyAsync(c => c.CustomerId == customer.Id && c.Id != contract.Id && c.SignedAt != null, ct)
            || await db.Opportunities.AnyAsync(o => o.CustomerId == customer.Id && o.Id != contract.OpportunityId && o.Status == OpportunityStatus.Won, ct))
        {
            return true;
        }

        return customer.Stage == LifecycleStage.Customer
            && !(contract.OpportunityId is { } own && await db.Opportunities.AnyAsync(o => o.Id == own && o.Status == OpportunityStatus.Won, ct));
    }

    internal static bool IsOpenOpportunity(Opportunity opportunity) => opportunity.Status != OpportunityStatus.Lost;
}
