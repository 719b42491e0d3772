using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Products;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Quotes;

/// <summary>
/// How quotes are reached and written. A quote is not scoped itself: it is visible when its opportunity is (the scope
/// filter decides that), and changeable by those who may change the opportunity (owner, managers above, Edit
/// collaborators, Admin) — otherwise 404 and 403.
/// </summary>
internal static class QuoteStore
{
    public static async Task<Opportunity> VisibleOpportunityAsync(AppDbContext db, Guid opportunityId, CancellationToken ct) =>
        await db.Opportunities.FirstOrDefaultAsync(o => o.Id == opportunityId, ct) ?? throw new NotFoundException("The opportunity");

    public static async Task<Opportunity> ChangeableOpportunityAsync(AppDbContext db, CurrentUser user, Guid opportunityId, CancellationToken ct)
    {
        var opportunity = await VisibleOpportunityAsync(db, opportunityId, ct);
        return await RecordAccess.CanChangeAsync(db, user, opportunity, ct)
            ? opportunity
            : throw new ForbiddenException("You can see this opportunity but may not change it or its quotes.");
    }

    /// <summary>The quote (tracked) through its visible opportunity.</summary>
    public static async Task<(Quote Quote, Opportunity Opportunity)> LoadAsync(AppDbContext db, Guid quoteId, CancellationToken ct)
    {
        var quote = await db.Quotes.FirstOrDefaultAsync(q => q.Id == quoteId && db.Opportunities.Any(o => o.Id == q.OpportunityId), ct)
            ?? throw new NotFoundException("The quote");
        return (quote, await VisibleOpportunityAsync(db, quote.OpportunityId, ct));
    }

    public static async Task<(Quote Quote, Opportunity Opportunity)> LoadForChangeAsync(AppDbContext db, CurrentUser user, Guid quoteId,
        CancellationToken ct)
    {
        var (quote, opportunity) = await LoadAsync(db, quoteId, ct);
        if (!await RecordAccess.CanChangeAsync(db, user, opportunity, ct))
        {
            throw new ForbiddenException("You can see this quote but may not change it.");
        }

        return (quote, opportunity);
    }

    /// <summary>The company's date now (quote numbers count per company year; validity is a company date).</summary>
    public static async Task<DateOnly> CompanyTodayAsync(AppDbContext db, DateTime utcNow, CancellationToken ct)
    {
        var zoneId = await db.CompanySettings.AsNoTracking().Select(c => c.TimeZone).FirstOrDefaultAsync(ct) ?? "Asia/Shanghai";
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc), zone));
    }

    /// <summary>
    /// The lines of a request as quote lines: a product's code, name, unit and list price are the defaults of its line. A
    /// new line may choose only an active product in the quote's currency; a line keeping the product of an earlier version
    /// may keep an inactive one.
    /// </summary>
    public static async Task<List<QuoteLine>> LinesAsync(AppDbContext db, Guid quoteId, string currency, IReadOnlyList<QuoteLineRequest>? requests,
        IReadOnlySet<Guid> productsAlreadyOnQuote, CancellationToken ct)
    {
        requests ??= [];
        var productIds = requests.Select(r => r.ProductId).OfType<Guid>().Distinct().ToList();
        var products = productIds.Count == 0 ? [] : await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var failures = new List<ValidationFailure>();
        var lines = new List<QuoteLine>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var field = $"lines[{i}]";
            Product? product = null;
            if (request.ProductId is { } productId)
            {
                if (!products.TryGetValue(productId, out product))
                {
                    failures.Add(new ValidationFailure($"{field}.productId", "The product does not exist."));
                    continue;
                }

                if (!product.IsActive && !productsAlreadyOnQuote.Contains(productId))
                {
                    failures.Add(new ValidationFailure($"{field}.productId", $"The product {product.Code} is no longer sold (inactive)."));
                    continue;
                }

                if (request.UnitPriceMinor is null && product.Currency != currency)
                {
                    failures.Add(new ValidationFailure($"{field}.unitPriceMinor",
                        $"The product's list price is in {product.Currency}, the quote in {currency}: give the unit price in {currency}."));
                    continue;
                }
            }

            var line = new QuoteLine
            {
                QuoteId = quoteId,
                SortOrder = i,
                ProductId = product?.Id,
                ProductCode = product?.Code,
                Description = string.IsNullOrWhiteSpace(request.Description) ? product!.Name : request.Description.Trim(),
                Unit = string.IsNullOrWhiteSpace(request.Unit) ? product?.Unit : request.Unit.Trim(),
                Quantity = request.Quantity,
                UnitPriceMinor = request.UnitPriceMinor ?? product!.ListPriceMinor,
                DiscountPercent = request.DiscountPercent,
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

    /// <summary>Sets the quote's totals and largest discount from its lines (<see cref="QuoteMath"/>).</summary>
    public static void Total(Quote quote, IReadOnlyList<QuoteLine> lines)
    {
        QuoteTotals totals;
        try
        {
            totals = QuoteMath.Totals(lines.Select(l => new QuoteLineFigures(l.Quantity, l.UnitPriceMinor, l.DiscountPercent)), quote.TaxRatePercent);
        }
        catch (OverflowException)
        {
            throw new ValidationException([new ValidationFailure("lines", "The quote's total is too large.")]);
        }

        quote.SubtotalMinor = totals.SubtotalMinor;
        quote.DiscountMinor = totals.DiscountMinor;
        quote.TaxMinor = totals.TaxMinor;
        quote.TotalMinor = totals.TotalMinor;
        quote.MaxDiscountPercent = lines.Count == 0 ? 0m : lines.Max(l => l.DiscountPercent);
    }

    public static async Task ReplaceLinesAsync(AppDbContext db, Quote quote, List<QuoteLine> lines, CancellationToken ct)
    {
        db.QuoteLines.RemoveRange(await db.QuoteLines.Where(l => l.QuoteId == quote.Id).ToListAsync(ct));
        db.QuoteLines.AddRange(lines);
        Total(quote, lines);
    }

    /// <summary>Summaries with their authors' names.</summary>
    public static async Task<IReadOnlyList<QuoteSummaryDto>> SummariesAsync(AppDbContext db, IQueryable<Quote> quotes, CancellationToken ct)
    {
        var rows = await quotes.AsNoTracking().OrderBy(q => q.Number).ThenBy(q => q.VersionNo)
            .Select(q => new { Summary = new QuoteSummaryDto(q.Id, q.OpportunityId, q.Number, q.VersionNo, q.Title, q.Status, q.Currency,
                q.SubtotalMinor, q.DiscountMinor, q.TaxMinor, q.TotalMinor, q.MaxDiscountPercent, q.CreatedAt, null, q.SentAt, q.DecidedAt), q.CreatedBy })
            .ToListAsync(ct);
        var authors = rows.Select(r => r.CreatedBy).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => authors.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return [.. rows.Select(r => r.Summary with
        {
            CreatedAt = Utc(r.Summary.CreatedAt),
            SentAt = r.Summary.SentAt is { } sent ? Utc(sent) : null,
            DecidedAt = r.Summary.DecidedAt is { } decided ? Utc(decided) : null,
            CreatedByName = r.CreatedBy is { } by ? names.GetValueOrDefault(by) : null,
        })];
    }

    /// <summary>One visible quote version as the API and the editor show it.</summary>
    public static async Task<QuoteDto> ReadAsync(AppDbContext db, CurrentUser user, Guid quoteId, CancellationToken ct)
    {
        var quote = await db.Quotes.AsNoTracking().FirstOrDefaultAsync(q => q.Id == quoteId && db.Opportunities.Any(o => o.Id == q.OpportunityId), ct)
            ?? throw new NotFoundException("The quote");
        var opportunity = await db.Opportunities.AsNoTracking().FirstAsync(o => o.Id == quote.OpportunityId, ct);
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == opportunity.CustomerId).Select(c => c.Name).FirstOrDefaultAsync(ct);
        var lines = await db.QuoteLines.AsNoTracking().Where(l => l.QuoteId == quoteId).OrderBy(l => l.SortOrder)
            .Select(l => new QuoteLineDto(l.Id, l.SortOrder, l.ProductId, l.ProductCode, l.Description, l.Unit, l.Quantity, l.UnitPriceMinor,
                l.DiscountPercent, l.LineTotalMinor))
            .ToListAsync(ct);
        var author = quote.CreatedBy is { } by ? await db.Users.Where(u => u.Id == by).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
        QuoteApprovalDto? approval = null;
        if (quote.ApprovalId is { } approvalId && await db.ApprovalRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == approvalId, ct) is { } request)
        {
            var step = await db.ApprovalSteps.AsNoTracking().Where(s => s.RequestId == approvalId)
                .OrderByDescending(s => s.DecidedAt != null && s.Status == ApprovalStatus.Rejected)
                .ThenBy(s => s.StepNo == request.CurrentStep ? 0 : 1)
                .FirstOrDefaultAsync(ct);
            var approver = step is null ? null : await db.Users.Where(u => u.Id == step.ApproverId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
            approval = new QuoteApprovalDto(request.Id, request.Status, ApprovalReason.Text(request), approver, step?.Comment, Utc(request.RequestedAt),
                request.DecidedAt is { } d ? Utc(d) : null)
            {
                CanWithdraw = ApprovalService.CanWithdrawNow(request, user),
            };
        }

        return new QuoteDto(quote.Id, quote.OpportunityId, opportunity.Name, opportunity.CustomerId, customer ?? "", quote.Number, quote.VersionNo,
            quote.Title, quote.Status, quote.Currency, quote.TaxRatePercent, quote.ValidUntil, quote.Terms, quote.Notes, quote.SubtotalMinor,
            quote.DiscountMinor, quote.TaxMinor, quote.TotalMinor, quote.MaxDiscountPercent, quote.SentAt is { } s ? Utc(s) : null,
            quote.DecidedAt is { } dd ? Utc(dd) : null, quote.CustomerResponse, quote.Version, Utc(quote.CreatedAt), author, Utc(quote.UpdatedAt),
            lines, approval, await RecordAccess.CanChangeAsync(db, user, opportunity, ct));
    }

    public static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
