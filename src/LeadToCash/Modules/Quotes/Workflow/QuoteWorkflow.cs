using System.Globalization;
using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Money;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Quotes.Workflow;

/// <summary>
/// The status of a quote version changes only through these commands: submit (draft → approved, or → pending approval
/// when a rule fires: see <see cref="QuoteApprovalRules"/>), send (approved → sent), accept and reject (sent → the
/// customer's decision). An accepted quote sets the opportunity's amount, in the same transaction, and closes the
/// other open versions of the quote (Superseded). There is no generic status update.
/// </summary>
public sealed class QuoteWorkflowHandler(IDbContextFactory<AppDbContext> dbFactory, ApprovalService approvals, ApprovalFlowEngine flows,
    TimeProvider clock)
{
    public async Task<QuoteDto> SubmitAsync(CurrentUser user, Guid quoteId, CancellationToken ct = default)
    {
        user.Require(Permissions.QuotesEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var (quote, opportunity) = await QuoteStore.LoadForChangeAsync(db, user, quoteId, ct);
        Expect(quote, QuoteStatus.Draft, "submitted");
        var lines = await db.QuoteLines.AsNoTracking().Where(l => l.QuoteId == quote.Id).OrderBy(l => l.SortOrder).ToListAsync(ct);
        if (lines.Count == 0)
        {
            throw new ConflictException("A quote needs at least one line before it is submitted.");
        }

        var settings = await OpportunityRules.LoadAsync(db, ct);
        var productIds = lines.Select(l => l.ProductId).OfType<Guid>().Distinct().ToList();
        var floors = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id) && p.FloorPriceMinor != null)
            .ToDictionaryAsync(p => p.Id, p => p.FloorPriceMinor!.Value, ct);
        var hits = QuoteApprovalRules.Check(lines, floors, settings.DiscountApprovalPercent);
        var now = clock.GetUtcNow().UtcDateTime;
        if (hits.Count == 0)
        {
            quote.Status = QuoteStatus.Approved;
            quote.ApprovalId = null;
        }
        else
        {
            var reason = hits.Select(h => Reason(h, quote.Currency)).ToList();
            // The Admin's flows for quotes choose the approvers (by total and largest discount); relative steps start from the deal's owner.
            var facts = new Dictionary<string, decimal>
            {
                [QuoteApprovalSubject.AmountField] = new Money(quote.TotalMinor, quote.Currency).ToDecimal(),
                [QuoteApprovalSubject.DiscountField] = quote.MaxDiscountPercent,
            };
            var request = await flows.StartAsync(db, Quote.RecordType, quote.Id, user, opportunity.OwnerId, facts, reason,
                $"{quote.Number} v{quote.VersionNo} · {quote.Title}", ct);
            quote.Status = QuoteStatus.PendingApproval;
            quote.ApprovalId = request.Id;
        }

        await db.SaveChangesAsync(ct);
        return await QuoteStore.ReadAsync(db, user, quote.Id, ct);
    }

    public async Task<QuoteDto> SendAsync(CurrentUser user, Guid quoteId, CancellationToken ct = default)
    {
        user.Require(Permissions.QuotesEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var (quote, _) = await QuoteStore.LoadForChangeAsync(db, user, quoteId, ct);
        if (quote.Status == QuoteStatus.PendingApproval)
        {
            throw new ConflictException("This quote waits for its approval: it can be sent once approved.");
        }

        Expect(quote, QuoteStatus.Approved, "sent");
        quote.Status = QuoteStatus.Sent;
        quote.SentAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return await QuoteStore.ReadAsync(db, user, quote.Id, ct);
    }

    public async Task<QuoteDto> AcceptAsync(CurrentUser user, Guid quoteId, QuoteResponseRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.QuotesEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var (quote, opportunity) = await QuoteStore.LoadForChangeAsync(db, user, quoteId, ct);
        Expect(quote, QuoteStatus.Sent, "accepted");
        Decide(quote, QuoteStatus.Accepted, request);
        // The one field of the opportunity a quote sets: what the customer accepted is what the deal is worth.
        opportunity.AmountMinor = quote.TotalMinor;
        var open = new[] { QuoteStatus.Draft, QuoteStatus.PendingApproval, QuoteStatus.Approved, QuoteStatus.Sent };
        foreach (var other in await db.Quotes.Where(q => q.OpportunityId == quote.OpportunityId && q.Number == quote.Number && q.Id != quote.Id
                     && open.Contains(q.Status)).ToListAsync(ct))
        {
            if (other.Status == QuoteStatus.PendingApproval && other.ApprovalId is { } pending)
            {
                await approvals.CancelAsync(db, pending, ct);
            }

            other.Status = QuoteStatus.Superseded;
        }

        await db.SaveChangesAsync(ct);
        return await QuoteStore.ReadAsync(db, user, quote.Id, ct);
    }

    public async Task<QuoteDto> RejectAsync(CurrentUser user, Guid quoteId, QuoteResponseRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.QuotesEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var (quote, _) = await QuoteStore.LoadForChangeAsync(db, user, quoteId, ct);
        Expect(quote, QuoteStatus.Sent, "rejected");
        Decide(quote, QuoteStatus.Rejected, request);
        await db.SaveChangesAsync(ct);
        return await QuoteStore.ReadAsync(db, user, quote.Id, ct);
    }

    /// <summary>"Line 2 (GTX Pro): discount 15 % is above 10 %" / "… net unit price ¥480.00 is below the floor price ¥500.00", as a reason part.</summary>
    public static ApprovalReasonPart Reason(QuoteRuleHit hit, string currency) => hit.Rule switch
    {
        QuoteRule.Discount => new("Quotes.Rule.Discount", [Line(hit), hit.Description, Percent(hit.Value), Percent(hit.Limit)]),
        _ => new("Quotes.Rule.Floor", [Line(hit), hit.Description,
            new Money((long)Math.Round(hit.Value, 0, MidpointRounding.AwayFromZero), currency).Format(CultureInfo.InvariantCulture),
            new Money((long)hit.Limit, currency).Format(CultureInfo.InvariantCulture)]),
    };

    private static string Line(QuoteRuleHit hit) => hit.LineNo.ToString(CultureInfo.InvariantCulture);

    private static string Percent(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static void Expect(Quote quote, QuoteStatus status, string what)
    {
        if (quote.Status != status)
        {
            throw new ConflictException($"Only a quote that is {status} can be {what}; this version is {quote.Status}.");
        }
    }

    private void Decide(Quote quote, QuoteStatus status, QuoteResponseRequest request)
    {
        if (request.CustomerResponse is { Length: > 1000 })
        {
            throw QuoteStore.Invalid("customerResponse", "The customer's response has at most 1000 characters.");
        }

        quote.Status = status;
        quote.DecidedAt = clock.GetUtcNow().UtcDateTime;
        quote.CustomerResponse = string.IsNullOrWhiteSpace(request.CustomerResponse) ? null : request.CustomerResponse.Trim();
    }
}

/// <summary>
/// Quotes as records that can be approved: the inbox describes a quote with its lines and totals (through its visible
/// opportunity); an approved request approves the quote, a rejected one sends it back to draft with the comment; the
/// requester is told either way.
/// </summary>
public sealed class QuoteApprovalSubject(TimeProvider clock) : IApprovalSubject
{
    public const string AmountField = "amount";
    public const string DiscountField = "discount";

    public string RecordType => Quote.RecordType;

    /// <summary>The quote's total (major units) and its largest line discount (percent).</summary>
    public IReadOnlyList<string> ConditionFields => [AmountField, DiscountField];

    public async Task<IReadOnlyDictionary<Guid, ApprovalSubjectSummary>> DescribeAsync(AppDbContext db, CurrentUser reader,
        IReadOnlyCollection<Guid> recordIds, bool withDetail, CancellationToken ct)
    {
        var result = await SummariesAsync(db, recordIds, linked: true, withDetail, ct);
        if (withDetail)
        {
            foreach (var (id, summary) in result.ToList())
            {
                result[id] = summary with { Detail = await QuoteStore.ReadAsync(db, reader, id, ct) };
            }
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<Guid, ApprovalSubjectSummary>> DescribeEssentialsAsync(AppDbContext db, IReadOnlyCollection<Guid> recordIds,
        bool withLines, CancellationToken ct) => await SummariesAsync(db, recordIds, linked: false, withLines, ct);

    /// <summary>
    /// Number, version and title, customer, total and (<paramref name="withLines"/>) the lines of the quotes whose opportunity
    /// <paramref name="db"/> sees.
    /// </summary>
    private static async Task<Dictionary<Guid, ApprovalSubjectSummary>> SummariesAsync(AppDbContext db, IReadOnlyCollection<Guid> recordIds, bool linked,
        bool withLines, CancellationToken ct)
    {
        var quotes = await db.Quotes.AsNoTracking()
            .Where(q => recordIds.Contains(q.Id) && db.Opportunities.Any(o => o.Id == q.OpportunityId))
            .Select(q => new
            {
                q.Id,
                q.Number,
                q.VersionNo,
                q.Title,
                q.TotalMinor,
                q.Currency,
                Customer = db.Opportunities.Where(o => o.Id == q.OpportunityId)
                    .Select(o => db.Customers.Where(c => c.Id == o.CustomerId).Select(c => c.Name).FirstOrDefault()).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var ids = quotes.Select(q => q.Id).ToList();
        var lines = withLines
            ? (await db.QuoteLines.AsNoTracking().Where(l => ids.Contains(l.QuoteId)).OrderBy(l => l.SortOrder).ToListAsync(ct))
                .ToLookup(l => l.QuoteId, l => new ApprovalSubjectLine(l.Description, l.Unit, l.Quantity, l.UnitPriceMinor, l.DiscountPercent,
                    l.LineTotalMinor))
            : null;
        return quotes.ToDictionary(q => q.Id, q => new ApprovalSubjectSummary($"{q.Number} v{q.VersionNo} · {q.Title}", linked ? $"/quotes/{q.Id}" : null,
            q.TotalMinor, q.Currency)
        {
            CustomerName = q.Customer,
            Lines = lines is null ? null : [.. lines[q.Id]],
        });
    }

    public async Task OnDecidedAsync(AppDbContext db, CurrentUser decider, ApprovalRequest request, string? comment, CancellationToken ct)
    {
        var quote = await db.Quotes.FirstOrDefaultAsync(q => q.Id == request.RecordId, ct);
        if (quote is null || quote.Status != QuoteStatus.PendingApproval || quote.ApprovalId != request.Id)
        {
            return;
        }

        var approved = request.Status == ApprovalStatus.Approved;
        quote.Status = approved ? QuoteStatus.Approved : QuoteStatus.Draft;
        if (request.Status == ApprovalStatus.Cancelled)
        {
            // Withdrawn by the requester: back to draft, nobody to tell.
            return;
        }

        Notify.Add(db, request.RequestedBy, approved ? QuoteNotifications.Approved : QuoteNotifications.Rejected, $"/quotes/{quote.Id}",
            Quote.RecordType, quote.Id, clock.GetUtcNow().UtcDateTime,
            quote.Number, quote.VersionNo.ToString(CultureInfo.InvariantCulture), quote.Title, decider.DisplayName, comment ?? "");
    }
}

public static class QuoteNotifications
{
    public const string ApprovalRequested = "quote.approval-requested";
    public const string Approved = "quote.approved";
    public const string Rejected = "quote.approval-rejected";
}

public static class QuoteWorkflowEndpoints
{
    public static void MapQuoteWorkflow(this RouteGroupBuilder quotes)
    {
        quotes.MapPost("/{id:guid}/submit", async (Guid id, CurrentUser user, QuoteWorkflowHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.SubmitAsync(user, id, ct)))
            .RequireAuthorization(Permissions.QuotesEdit)
            .WithName("SubmitQuote")
            .WithSummary("Submit a draft: approved at once, or pending approval by the owner's manager when a line's discount is above the " +
                "threshold (quote settings) or its net unit price below the product's floor price; the reason names the rule.");

        quotes.MapPost("/{id:guid}/send", async (Guid id, CurrentUser user, QuoteWorkflowHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.SendAsync(user, id, ct)))
            .RequireAuthorization(Permissions.QuotesEdit)
            .WithName("SendQuote")
            .WithSummary("Mark an approved quote as sent to the customer.");

        quotes.MapPost("/{id:guid}/accept", async (Guid id, QuoteResponseRequest? request, CurrentUser user, QuoteWorkflowHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.AcceptAsync(user, id, request ?? new QuoteResponseRequest(), ct)))
            .RequireAuthorization(Permissions.QuotesEdit)
            .WithName("AcceptQuote")
            .WithSummary("The customer accepted this sent quote: the opportunity's amount becomes its total, other open versions are superseded.");

        quotes.MapPost("/{id:guid}/reject", async (Guid id, QuoteResponseRequest? request, CurrentUser user, QuoteWorkflowHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.RejectAsync(user, id, request ?? new QuoteResponseRequest(), ct)))
            .RequireAuthorization(Permissions.QuotesEdit)
            .WithName("RejectQuote")
            .WithSummary("The customer rejected this sent quote (optional response text); revise it to offer a new version.");
    }
}
