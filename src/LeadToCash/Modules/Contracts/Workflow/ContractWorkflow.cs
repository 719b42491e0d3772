using System.Globalization;
using System.Resources;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Tasks;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Files;
using LeadToCash.Platform.Localization;
using LeadToCash.Platform.Money;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Contracts.Workflow;

/// <summary>
/// The status of a contract changes only through these commands, each in one transaction: submit for approval
/// (draft/rejected → in approval), withdraw (→ draft), sign with the date and the signed scan (approved → signed and
/// archived; the customer becomes a (repeat) customer and the owner gets a satisfaction visit and a repeat-need task),
/// start execution (signed → executing), complete (executing → completed), terminate with a reason (→ terminated).
/// The approval's outcome arrives through <see cref="ContractApprovalSubject"/>.
/// </summary>
public sealed class ContractWorkflowHandler(IDbContextFactory<AppDbContext> dbFactory, ApprovalService approvals, ApprovalFlowEngine flows,
    FileStore files, TimeProvider clock)
{
    private static readonly ResourceManager Resources = new(typeof(SharedResource));

    public async Task<ContractDto> SubmitAsync(CurrentUser user, Guid contractId, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var contract = await ContractStore.ChangeableAsync(db, user, contractId, ct);
        Expect(contract, "submitted for approval", ContractStatus.Draft, ContractStatus.Rejected);
        if (contract.AmountMinor <= 0)
        {
            throw ContractStore.Invalid("amountMinor", "A contract needs an amount above 0 before it is submitted.");
        }

        // The Admin's contract flows choose the steps by the amount; relative steps start from the contract's owner.
        var request = await flows.StartAsync(db, Contract.RecordType, contract.Id, user, contract.OwnerId, ContractApproval.Facts(contract),
            ContractApproval.Reason(contract), $"{contract.Number} · {contract.Title}", ct);
        contract.Status = ContractStatus.InApproval;
        contract.ApprovalId = request.Id;
        await db.SaveChangesAsync(ct);
        return await ContractStore.ReadAsync(db, user, contract.Id, ct);
    }

    public async Task<ContractDto> WithdrawAsync(CurrentUser user, Guid contractId, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var contract = await ContractStore.ChangeableAsync(db, user, contractId, ct);
        Expect(contract, "withdrawn from approval", ContractStatus.InApproval);
        if (contract.ApprovalId is { } pending)
        {
            // Only the requester (or an Admin) takes it back, as from the approvals inbox: another person who may edit the
            // contract (the owner's manager) cannot withdraw someone else's request.
            await approvals.WithdrawAsync(db, user, pending, ct);
        }

        contract.Status = ContractStatus.Draft;
        await db.SaveChangesAsync(ct);
        return await ContractStore.ReadAsync(db, user, contract.Id, ct);
    }

    /// <summary>
    /// Records the signing: the date (not after today) and the signed scan (stored as the contract's attachment; the
    /// contract is archived). Then the customer becomes a customer — a repeat customer when it had a signed contract
    /// before — and the owner gets the satisfaction-visit and repeat-need tasks of the contract settings.
    /// </summary>
    public async Task<ContractDto> SignAsync(CurrentUser user, Guid contractId, DateOnly? signingDate, FileUpload? scan, int? version,
        CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var contract = await ContractStore.ChangeableAsync(db, user, contractId, ct);
        if (version is { } v)
        {
            Versioning.EnsureVersion(contract.Version, v);
        }

        Expect(contract, "signed", ContractStatus.Approved);
        var now = Now;
        var today = await ContractStore.CompanyTodayAsync(db, now, ct);
        if (signingDate is not { } date)
        {
            throw ContractStore.Invalid("signingDate", "Give the date the contract was signed.");
        }

        if (date > today)
        {
            throw ContractStore.Invalid("signingDate", "The signing date cannot be in the future.");
        }

        if (scan is null)
        {
            throw ContractStore.Invalid("file", "Attach the signed scan of the contract (pdf or image).");
        }

        await using var staged = await files.StageAsync(db, Contract.RecordType, contract.Id, scan, now, "file", ct);
        contract.SigningDate = date;
        contract.Status = ContractStatus.Signed;
        contract.SignedAt = now;
        contract.SignedBy = user.Id;
        contract.ArchivedAt = now;
        await AfterSigningAsync(db, contract, now, ct);
        await db.SaveChangesAsync(ct);
        staged.Commit();
        return await ContractStore.ReadAsync(db, user, contract.Id, ct);
    }

    public async Task<ContractDto> StartAsync(CurrentUser user, Guid contractId, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var contract = await ContractStore.ChangeableAsync(db, user, contractId, ct);
        Expect(contract, "started", ContractStatus.Signed);
        contract.Status = ContractStatus.Executing;
        await db.SaveChangesAsync(ct);
        return await ContractStore.ReadAsync(db, user, contract.Id, ct);
    }

    public async Task<ContractDto> CompleteAsync(CurrentUser user, Guid contractId, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var contract = await ContractStore.ChangeableAsync(db, user, contractId, ct);
        Expect(contract, "completed", ContractStatus.Executing);
        contract.Status = ContractStatus.Completed;
        contract.CompletedAt = Now;
        await db.SaveChangesAsync(ct);
        return await ContractStore.ReadAsync(db, user, contract.Id, ct);
    }

    /// <summary>Ends a contract early (managers and directors), with the reason; a pending approval is cancelled.</summary>
    public async Task<ContractDto> TerminateAsync(CurrentUser user, Guid contractId, TerminateContractRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsTerminate);
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > ContractStore.MaxReasonLength)
        {
            throw ContractStore.Invalid("reason", $"Say why the contract is terminated (at most {ContractStore.MaxReasonLength} characters).");
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var contract = await ContractStore.ChangeableAsync(db, user, contractId, ct);
        if (contract.Status is ContractStatus.Completed or ContractStatus.Terminated)
        {
            throw new ConflictException($"A contract that is {contract.Status} cannot be terminated.");
        }

        if (contract.Status == ContractStatus.InApproval && contract.ApprovalId is { } pending)
        {
            await approvals.CancelAsync(db, pending, ct);
        }

        contract.Status = ContractStatus.Terminated;
        contract.TerminatedAt = Now;
        contract.TerminationReason = reason;
        await db.SaveChangesAsync(ct);
        return await ContractStore.ReadAsync(db, user, contract.Id, ct);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static void Expect(Contract contract, string what, params ContractStatus[] statuses)
    {
        if (!statuses.Contains(contract.Status))
        {
            throw new ConflictException(
                $"Only a contract that is {string.Join(" or ", statuses)} can be {what}; this one is {contract.Status}.");
        }
    }

    /// <summary>The customer's lifecycle stage and the owner's two follow-up tasks (our process after a signed contract).</summary>
    private static async Task AfterSigningAsync(AppDbContext db, Contract contract, DateTime now, CancellationToken ct)
    {
        var settings = await ContractStore.SettingsAsync(db, ct);
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == contract.CustomerId, ct);
        if (customer is not null)
        {
            customer.Stage = await ContractStore.BoughtBeforeAsync(db, customer, contract, ct)
                ? LifecycleStage.RepeatCustomer
                : LifecycleStage.Customer;
        }

        if (contract.OwnerId is not { } owner)
        {
            return;
        }

        var culture = await db.CompanySettings.AsNoTracking().Select(c => c.DefaultCulture).FirstOrDefaultAsync(ct) ?? "zh-CN";
        var name = customer?.Name ?? contract.Title;
        db.Tasks.Add(Task("Contracts.Task.Satisfaction", "Satisfaction visit: {0}", name, contract, culture, owner, now.AddDays(settings.SatisfactionVisitDays)));
        db.Tasks.Add(Task("Contracts.Task.RepeatNeed", "Repeat need follow-up: {0}", name, contract, culture, owner, now.AddDays(settings.RepeatNeedDays)));
    }

    private static WorkTask Task(string key, string fallback, string customerName, Contract contract, string culture, Guid owner, DateTime due)
    {
        CultureInfo info;
        try
        {
            info = CultureInfo.GetCultureInfo(culture);
        }
        catch (CultureNotFoundException)
        {
            info = CultureInfo.InvariantCulture;
        }

        var title = string.Format(info, Resources.GetString(key, info) ?? fallback, customerName);
        return new WorkTask
        {
            Title = title.Length <= 200 ? title : title[..199] + "…",
            Content = $"{contract.Number} · {contract.Title}",
            Kind = WorkTaskKind.Task,
            OwnerId = owner,
            RelatedType = Customer.RecordType,
            RelatedId = contract.CustomerId,
            DueAt = due,
            Status = WorkTaskStatus.Open,
        };
    }
}

/// <summary>What a contract's approval flows test, and the reason its approvers read.</summary>
public static class ContractApproval
{
    public const string AmountField = "amount";

    /// <summary>The amount in major units of the contract's currency (¥100,000 is 100000).</summary>
    public static IReadOnlyDictionary<string, decimal> Facts(Contract contract) =>
        new Dictionary<string, decimal> { [AmountField] = new Money(contract.AmountMinor, contract.Currency).ToDecimal() };

    public static IReadOnlyList<ApprovalReasonPart> Reason(Contract contract) =>
        [new ApprovalReasonPart("Contracts.Approval.Reason",
            [contract.Number, contract.Title, new Money(contract.AmountMinor, contract.Currency).Format(CultureInfo.InvariantCulture)])];
}

/// <summary>
/// Contracts as records that can be approved: the inbox describes a contract (through its visible record); an approved
/// request approves it, a rejected one marks it Rejected with the comment; the requester is told either way.
/// </summary>
public sealed class ContractApprovalSubject(TimeProvider clock) : IApprovalSubject
{
    public string RecordType => Contract.RecordType;

    public IReadOnlyList<string> ConditionFields => [ContractApproval.AmountField];

    public async Task<IReadOnlyDictionary<Guid, ApprovalSubjectSummary>> DescribeAsync(AppDbContext db, CurrentUser reader,
        IReadOnlyCollection<Guid> recordIds, bool withDetail, CancellationToken ct)
    {
        var result = await SummariesAsync(db, recordIds, linked: true, withDetail, ct);
        if (withDetail)
        {
            foreach (var (id, summary) in result.ToList())
            {
                result[id] = summary with { Detail = await ContractStore.ReadAsync(db, reader, id, ct) };
            }
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<Guid, ApprovalSubjectSummary>> DescribeEssentialsAsync(AppDbContext db, IReadOnlyCollection<Guid> recordIds,
        bool withLines, CancellationToken ct) => await SummariesAsync(db, recordIds, linked: false, withLines, ct);

    /// <summary>Number and title, customer, amount and (<paramref name="withLines"/>) the lines of the contracts <paramref name="db"/> sees.</summary>
    private static async Task<Dictionary<Guid, ApprovalSubjectSummary>> SummariesAsync(AppDbContext db, IReadOnlyCollection<Guid> recordIds, bool linked,
        bool withLines, CancellationToken ct)
    {
        var contracts = await db.Contracts.AsNoTracking().Where(c => recordIds.Contains(c.Id))
            .Select(c => new
            {
                c.Id,
                c.Number,
                c.Title,
                c.AmountMinor,
                c.Currency,
                Customer = db.Customers.Where(x => x.Id == c.CustomerId).Select(x => x.Name).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var ids = contracts.Select(c => c.Id).ToList();
        var lines = withLines
            ? (await db.ContractLines.AsNoTracking().Where(l => ids.Contains(l.ContractId)).OrderBy(l => l.SortOrder).ToListAsync(ct))
                .ToLookup(l => l.ContractId, l => new ApprovalSubjectLine(l.Description, l.Unit, l.Quantity, l.UnitPriceMinor, l.DiscountPercent,
                    l.LineTotalMinor))
            : null;
        return contracts.ToDictionary(c => c.Id, c => new ApprovalSubjectSummary($"{c.Number} · {c.Title}", linked ? $"/contracts/{c.Id}" : null,
            c.AmountMinor, c.Currency)
        {
            CustomerName = c.Customer,
            Lines = lines is null ? null : [.. lines[c.Id]],
        });
    }

    public async Task OnDecidedAsync(AppDbContext db, CurrentUser decider, ApprovalRequest request, string? comment, CancellationToken ct)
    {
        var contract = await db.Contracts.FirstOrDefaultAsync(c => c.Id == request.RecordId, ct);
        if (contract is null || contract.Status != ContractStatus.InApproval || contract.ApprovalId != request.Id)
        {
            return;
        }

        if (request.Status == ApprovalStatus.Cancelled)
        {
            // Withdrawn by the requester from the approvals inbox: a draft again.
            contract.Status = ContractStatus.Draft;
            return;
        }

        var approved = request.Status == ApprovalStatus.Approved;
        contract.Status = approved ? ContractStatus.Approved : ContractStatus.Rejected;
        Notify.Add(db, request.RequestedBy, approved ? ContractNotifications.Approved : ContractNotifications.Rejected, $"/contracts/{contract.Id}",
            Contract.RecordType, contract.Id, clock.GetUtcNow().UtcDateTime, contract.Number, contract.Title, decider.DisplayName, comment ?? "");
    }
}

/// <summary>The notification kinds of contracts (their texts are the resources "Notify.{kind}").</summary>
public static class ContractNotifications
{
    /// <summary>To the requester: {0} number, {1} title, {2} decider, {3} comment.</summary>
    public const string Approved = "contract.approved";

    /// <summary>To the requester: {0} number, {1} title, {2} decider, {3} comment.</summary>
    public const string Rejected = "contract.approval-rejected";

    /// <summary>To the owner of a won opportunity: {0} opportunity, {1} days since it was won.</summary>
    public const string ArchiveOverdue = "contract.archive-overdue";
}

public static class ContractWorkflowEndpoints
{
    /// <summary>The multipart form of a signing, for the API description.</summary>
    public sealed record SignContractForm(DateOnly SigningDate, int? Version, IFormFile File);

    public static void MapContractWorkflow(this RouteGroupBuilder contracts)
    {
        contracts.MapPost("/{id:guid}/submit", async (Guid id, CurrentUser user, ContractWorkflowHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.SubmitAsync(user, id, ct)))
            .RequireAuthorization(Permissions.ContractsEdit)
            .WithName("SubmitContract")
            .WithSummary("Submit a draft (or rejected) contract for approval: the Admin's contract flow for its amount chooses the steps (without one, " +
                "the owner's manager). It cannot change until decided or withdrawn; a resubmission is a new round.");

        contracts.MapPost("/{id:guid}/withdraw", async (Guid id, CurrentUser user, ContractWorkflowHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.WithdrawAsync(user, id, ct)))
            .RequireAuthorization(Permissions.ContractsEdit)
            .WithName("WithdrawContract")
            .WithSummary("The requester (or an Admin) withdraws a contract from approval (the pending request is cancelled; the contract is a " +
                "draft again, to change and resubmit); anyone else who may edit it gets 403.");

        contracts.MapPost("/{id:guid}/sign", async (Guid id, HttpRequest http, CurrentUser user, ContractWorkflowHandler handler,
                CancellationToken ct) =>
            {
                if (!http.HasFormContentType)
                {
                    throw ContractStore.Invalid("file", "Send multipart/form-data with 'signingDate' (yyyy-MM-dd) and the signed scan as 'file'.");
                }

                var form = await http.ReadFormAsync(ct);
                DateOnly? date = DateOnly.TryParseExact(form["signingDate"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                    ? d
                    : null;
                int? version = int.TryParse(form["version"], CultureInfo.InvariantCulture, out var v) ? v : null;
                var file = form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null);
                FileUpload? upload = file is null ? null : new FileUpload(file.FileName, file.OpenReadStream());
                try
                {
                    return TypedResults.Ok(await handler.SignAsync(user, id, date, upload, version, ct));
                }
                finally
                {
                    if (upload is not null)
                    {
                        await upload.Content.DisposeAsync();
                    }
                }
            })
            .RequireAuthorization(Permissions.ContractsEdit)
            // Bearer clients and the same-site cookie (SameSite=Lax) are the only callers; like the other uploads.
            .DisableAntiforgery()
            .Accepts<SignContractForm>("multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(11L * 1024 * 1024))
            .WithName("SignContract")
            .WithSummary("Record the signing of an approved contract: multipart/form-data with 'signingDate' (yyyy-MM-dd, not in the future), " +
                "optional 'version', and the signed scan as 'file' (pdf or image, 10 MB). The contract is signed and archived; the customer " +
                "becomes a (repeat) customer; the owner gets a satisfaction-visit and a repeat-need task.");

        contracts.MapPost("/{id:guid}/start", async (Guid id, CurrentUser user, ContractWorkflowHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.StartAsync(user, id, ct)))
            .RequireAuthorization(Permissions.ContractsEdit)
            .WithName("StartContract")
            .WithSummary("Start executing a signed contract.");

        contracts.MapPost("/{id:guid}/complete", async (Guid id, CurrentUser user, ContractWorkflowHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.CompleteAsync(user, id, ct)))
            .RequireAuthorization(Permissions.ContractsEdit)
            .WithName("CompleteContract")
            .WithSummary("Mark an executing contract as completed.");

        contracts.MapPost("/{id:guid}/terminate", async (Guid id, TerminateContractRequest request, CurrentUser user, ContractWorkflowHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.TerminateAsync(user, id, request, ct)))
            .RequireAuthorization(Permissions.ContractsTerminate)
            .WithName("TerminateContract")
            .WithSummary("Terminate a contract that is not completed (managers and directors), with the reason (required).");
    }
}
