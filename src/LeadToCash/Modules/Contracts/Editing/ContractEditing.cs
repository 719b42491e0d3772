using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Money;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Contracts.Editing;

/// <summary>
/// Writing contracts: a new one (a draft, numbered from the company's pattern) from an opportunity or for a customer, and
/// changes to its fields. Only those who may change the opportunity (or customer) may make its contract; only those who may
/// change the contract may edit it: not while in approval, and once signed only its notes.
/// </summary>
public sealed class ContractEditingHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private const int NumberAttempts = 10;

    public async Task<ContractDto> CreateAsync(CurrentUser user, CreateContractRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var draft = await DraftAsync(db, user, request, ct);
        var settings = await ContractStore.SettingsAsync(db, ct);
        var today = await ContractStore.CompanyTodayAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        // Numbers count across the company, not the caller's scope: only the numbers are read with every contract in sight.
        await using var numbers = await dbFactory.OpenAsSystemAsync(ct);
        // Two people numbering at once: the unique index lets one win; the other takes the next number.
        for (var attempt = 1; ; attempt++)
        {
            var contract = draft.Contract;
            contract.Number = await ContractNumbering.NextAsync(numbers, settings.NumberPattern, today, ct);
            db.Contracts.Add(contract);
            foreach (var line in draft.Lines)
            {
                line.ContractId = contract.Id;
            }

            db.ContractLines.AddRange(draft.Lines);
            db.ContractSigners.AddRange(draft.Signers.Select(s => new ContractSigner { ContractId = contract.Id, ContactId = s }));
            try
            {
                await db.SaveChangesAsync(ct);
                return await ContractStore.ReadAsync(db, user, contract.Id, ct);
            }
            catch (DbUpdateException) when (attempt < NumberAttempts)
            {
                if (await numbers.Contracts.AsNoTracking().AnyAsync(c => c.Id == contract.Id, ct))
                {
                    throw;
                }

                db.ChangeTracker.Clear();
                draft = draft with { Contract = Copy(contract), Lines = [.. draft.Lines.Select(Copy)] };
            }
        }
    }

    /// <summary>The visible contracts made from an opportunity, oldest first (its page links to them).</summary>
    public async Task<IReadOnlyList<ContractListItem>> OfOpportunityAsync(CurrentUser user, Guid opportunityId, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await db.Contracts.AsNoTracking().Where(c => c.OpportunityId == opportunityId).OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .Select(c => new ContractListItem(c.Id, c.Number, c.Title, c.Status, c.CustomerId, null, c.AmountMinor, c.Currency, c.SigningDate, c.EndDate,
                c.OwnerId, null, c.ReceivedMinor, DateTime.SpecifyKind(c.UpdatedAt, DateTimeKind.Utc)))
            .ToListAsync(ct);
    }

    public async Task<ContractDto> UpdateAsync(CurrentUser user, Guid contractId, UpdateContractRequest request, int version,
        CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var contract = await ContractStore.ChangeableAsync(db, user, contractId, ct);
        Versioning.EnsureVersion(contract.Version, version);
        var notes = Clean(request.Notes, "notes", ContractStore.MaxNotesLength);
        switch (contract.Status)
        {
            case ContractStatus.InApproval:
                throw new ConflictException("A contract in approval cannot change: withdraw it first.");
            case ContractStatus.Signed or ContractStatus.Executing or ContractStatus.Completed or ContractStatus.Terminated:
                if (await ChangesMoreThanNotesAsync(db, contract, request, ct))
                {
                    throw new ConflictException("Once signed, only the contract's notes and milestones can change.");
                }

                contract.Notes = notes;
                await db.SaveChangesAsync(ct);
                return await ContractStore.ReadAsync(db, user, contract.Id, ct);
        }

        var fields = Fields(request.Title, request.Currency, request.StartDate, request.EndDate);
        var lines = ContractStore.Lines(contract.Id, request.Lines);
        var amount = request.Lines is { Count: > 0 } && request.AmountMinor == 0 ? ContractStore.Sum(lines) : request.AmountMinor;
        if (amount < 0)
        {
            throw ContractStore.Invalid("amountMinor", "The amount cannot be negative.");
        }

        var signers = await ContractStore.SignersAsync(db, contract.CustomerId, request.SignerContactIds, ct);
        contract.Title = fields.Title;
        contract.Currency = fields.Currency;
        contract.AmountMinor = amount;
        contract.StartDate = request.StartDate;
        contract.EndDate = request.EndDate;
        contract.PaymentTerms = Clean(request.PaymentTerms, "paymentTerms", ContractStore.MaxTermsLength);
        contract.KeyClauses = Clean(request.KeyClauses, "keyClauses", ContractStore.MaxTextLength);
        contract.Notes = notes;
        // An approved contract that changes needs approving again.
        if (contract.Status == ContractStatus.Approved)
        {
            contract.Status = ContractStatus.Draft;
        }

        db.ContractLines.RemoveRange(await db.ContractLines.Where(l => l.ContractId == contract.Id).ToListAsync(ct));
        db.ContractLines.AddRange(lines);
        db.ContractSigners.RemoveRange(await db.ContractSigners.Where(s => s.ContractId == contract.Id).ToListAsync(ct));
        db.ContractSigners.AddRange(signers.Select(s => new ContractSigner { ContractId = contract.Id, ContactId = s }));
        await db.SaveChangesAsync(ct);
        return await ContractStore.ReadAsync(db, user, contract.Id, ct);
    }

    private sealed record Draft(Contract Contract, List<ContractLine> Lines, List<Guid> Signers);

    private static async Task<Draft> DraftAsync(AppDbContext db, CurrentUser user, CreateContractRequest request, CancellationToken ct)
    {
        Opportunity? opportunity = null;
        Quote? quote = null;
        Guid customerId;
        Guid? ownerId;
        if (request.OpportunityId is { } opportunityId)
        {
            opportunity = await db.Opportunities.AsNoTracking().FirstOrDefaultAsync(o => o.Id == opportunityId, ct)
                ?? throw new NotFoundException("The opportunity");
            if (!await RecordAccess.CanChangeAsync(db, user, opportunity, ct))
            {
                throw new ForbiddenException("You can see this opportunity but may not make its contract.");
            }

            if (!ContractStore.IsOpenOpportunity(opportunity))
            {
                throw new ConflictException("A lost opportunity gets no contract.");
            }

            if (request.CustomerId is { } other && other != opportunity.CustomerId)
            {
                throw ContractStore.Invalid("customerId", "The customer must be the opportunity's customer.");
            }

            customerId = opportunity.CustomerId;
            ownerId = opportunity.OwnerId;
            quote = request.QuoteId is { } quoteId
                ? await db.Quotes.AsNoTracking().FirstOrDefaultAsync(q => q.Id == quoteId && q.OpportunityId == opportunity.Id, ct)
                    ?? throw ContractStore.Invalid("quoteId", "The quote must be a quote of the opportunity.")
                : await db.Quotes.AsNoTracking().Where(q => q.OpportunityId == opportunity.Id && q.Status == QuoteStatus.Accepted)
                    .OrderByDescending(q => q.DecidedAt).ThenByDescending(q => q.VersionNo).FirstOrDefaultAsync(ct);
        }
        else if (request.CustomerId is { } id)
        {
            if (request.QuoteId is not null)
            {
                throw ContractStore.Invalid("quoteId", "A quote comes with its opportunity: give the opportunity.");
            }

            var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("The customer");
            if (!await RecordAccess.CanChangeAsync(db, user, customer, ct))
            {
                throw new ForbiddenException("You can see this customer but may not make its contract.");
            }

            customerId = customer.Id;
            ownerId = customer.OwnerId;
        }
        else
        {
            throw ContractStore.Invalid("customerId", "Give the opportunity or the customer of the contract.");
        }

        var contract = new Contract
        {
            Number = "",
            Title = "",
            CustomerId = customerId,
            OpportunityId = opportunity?.Id,
            QuoteId = quote?.Id,
            OwnerId = ownerId ?? user.Id,
            Status = ContractStatus.Draft,
        };
        var fields = Fields(request.Title ?? quote?.Title ?? opportunity?.Name, request.Currency ?? quote?.Currency ?? opportunity?.Currency ?? "CNY",
            request.StartDate, request.EndDate);
        contract.Title = fields.Title;
        contract.Currency = fields.Currency;
        contract.StartDate = request.StartDate;
        contract.EndDate = request.EndDate;
        contract.PaymentTerms = Clean(request.PaymentTerms, "paymentTerms", ContractStore.MaxTermsLength);
        contract.KeyClauses = Clean(request.KeyClauses ?? quote?.Terms, "keyClauses", ContractStore.MaxTextLength);
        contract.Notes = Clean(request.Notes, "notes", ContractStore.MaxNotesLength);
        List<ContractLine> lines;
        if (request.Lines is { Count: > 0 } || quote is null)
        {
            lines = ContractStore.Lines(contract.Id, request.Lines);
            contract.AmountMinor = request.AmountMinor ?? (lines.Count > 0 ? ContractStore.Sum(lines) : opportunity?.AmountMinor ?? 0);
        }
        else
        {
            // The accepted quote's lines and total (its tax included) are what the customer agreed to.
            lines = await db.QuoteLines.AsNoTracking().Where(l => l.QuoteId == quote.Id).OrderBy(l => l.SortOrder)
                .Select(l => new ContractLine
                {
                    ContractId = contract.Id,
                    SortOrder = l.SortOrder,
                    ProductId = l.ProductId,
                    ProductCode = l.ProductCode,
                    Description = l.Description,
                    Unit = l.Unit,
                    Quantity = l.Quantity,
                    UnitPriceMinor = l.UnitPriceMinor,
                    DiscountPercent = l.DiscountPercent,
                    LineTotalMinor = l.LineTotalMinor,
                }).ToListAsync(ct);
            contract.AmountMinor = request.AmountMinor ?? quote.TotalMinor;
        }

        if (contract.AmountMinor < 0)
        {
            throw ContractStore.Invalid("amountMinor", "The amount cannot be negative.");
        }

        var signers = await ContractStore.SignersAsync(db, customerId, request.SignerContactIds, ct);
        return new Draft(contract, lines, signers);
    }

    private static (string Title, string Currency) Fields(string? title, string? currency, DateOnly? start, DateOnly? end)
    {
        if (string.IsNullOrWhiteSpace(title) || title.Trim().Length > ContractStore.MaxTitleLength)
        {
            throw ContractStore.Invalid("title", $"The contract needs a title of at most {ContractStore.MaxTitleLength} characters.");
        }

        if (currency is null || !Money.KnownCurrencies.Contains(currency))
        {
            throw ContractStore.Invalid("currency", $"The currency must be one the app computes in: {string.Join(", ", Money.KnownCurrencies)}.");
        }

        if (start is { } s && end is { } e && e < s)
        {
            throw ContractStore.Invalid("endDate", "The end date cannot be before the start date.");
        }

        return (title.Trim(), currency);
    }

    private static string? Clean(string? text, string field, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        return trimmed.Length <= max ? trimmed : throw ContractStore.Invalid(field, $"At most {max} characters.");
    }

    private static async Task<bool> ChangesMoreThanNotesAsync(AppDbContext db, Contract contract, UpdateContractRequest request, CancellationToken ct)
    {
        var signers = await db.ContractSigners.Where(s => s.ContractId == contract.Id).Select(s => s.ContactId).ToListAsync(ct);
        var lineCount = await db.ContractLines.CountAsync(l => l.ContractId == contract.Id, ct);
        return request.Title.Trim() != contract.Title || request.AmountMinor != contract.AmountMinor || request.Currency != contract.Currency
            || request.StartDate != contract.StartDate || request.EndDate != contract.EndDate
            || (request.PaymentTerms?.Trim() ?? "") != (contract.PaymentTerms ?? "") || (request.KeyClauses?.Trim() ?? "") != (contract.KeyClauses ?? "")
            || (request.SignerContactIds is { } ids && !ids.ToHashSet().SetEquals(signers))
            || (request.Lines is { } lines && lines.Count != lineCount);
    }

    private static Contract Copy(Contract c) => new()
    {
        Number = c.Number,
        Title = c.Title,
        CustomerId = c.CustomerId,
        OpportunityId = c.OpportunityId,
        QuoteId = c.QuoteId,
        AmountMinor = c.AmountMinor,
        Currency = c.Currency,
        StartDate = c.StartDate,
        EndDate = c.EndDate,
        PaymentTerms = c.PaymentTerms,
        KeyClauses = c.KeyClauses,
        Notes = c.Notes,
        OwnerId = c.OwnerId,
        Status = c.Status,
    };

    private static ContractLine Copy(ContractLine l) => new()
    {
        SortOrder = l.SortOrder,
        ProductId = l.ProductId,
        ProductCode = l.ProductCode,
        Description = l.Description,
        Unit = l.Unit,
        Quantity = l.Quantity,
        UnitPriceMinor = l.UnitPriceMinor,
        DiscountPercent = l.DiscountPercent,
        LineTotalMinor = l.LineTotalMinor,
    };
}

public static class ContractEditingEndpoints
{
    public static void MapContractEditing(this RouteGroupBuilder contracts)
    {
        contracts.MapPost("/", async (CreateContractRequest request, CurrentUser user, ContractEditingHandler handler, CancellationToken ct) =>
            {
                var created = await handler.CreateAsync(user, request, ct);
                return TypedResults.Created($"/api/v1/contracts/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.ContractsEdit)
            .WithName("CreateContract")
            .WithSummary("Start a contract (a draft numbered from the company's pattern, e.g. HT-2026-0001). From an opportunity (opportunityId): " +
                "its customer, owner and currency, and the lines and total of its accepted quote (or of quoteId); or for a customer (customerId) " +
                "with lines or an amount. Signers are contacts of the customer. Amounts in minor units.");

        contracts.MapPut("/{id:guid}", async (Guid id, UpdateContractRequest request, CurrentUser user, ContractEditingHandler handler,
                HttpContext http, CancellationToken ct) =>
            {
                var updated = await handler.UpdateAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), ct);
                http.Response.Headers.ETag = $"\"{updated.Version}\"";
                return TypedResults.Ok(updated);
            })
            .RequireAuthorization(Permissions.ContractsEdit)
            .WithName("UpdateContract")
            .WithSummary("Change a contract's fields (send the version you read, field or If-Match): lines and signers replace the earlier ones. " +
                "In approval: 409; an approved contract that changes goes back to draft; once signed only the notes change (409 otherwise).");
    }
}
