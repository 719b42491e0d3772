using FluentValidation;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Quotes.Editing;

/// <summary>
/// Writing quotes: a new quote (v1, numbered Q-{year}-{seq}), changes to a draft, and a revision (the next version as a
/// draft copy). Only those who may change the opportunity may write its quotes; only a draft can be changed.
/// </summary>
public sealed class QuoteEditingHandler(IDbContextFactory<AppDbContext> dbFactory, ApprovalService approvals, TimeProvider clock)
{
    private static readonly QuoteFieldsValidator Validator = new();

    public async Task<QuoteDto> CreateAsync(CurrentUser user, Guid opportunityId, CreateQuoteRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.QuotesEdit);
        await Validator.ValidateAndThrowAsync(new UpdateQuoteRequest(request.Title, request.Lines, request.TaxRatePercent, request.ValidUntil,
            request.Terms, request.Notes), ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var opportunity = await QuoteStore.ChangeableOpportunityAsync(db, user, opportunityId, ct);
        var settings = await OpportunityRules.LoadAsync(db, ct);
        var today = await QuoteStore.CompanyTodayAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        // Two people numbering at once: the unique index lets one win; the other takes the next number.
        for (var attempt = 1; ; attempt++)
        {
            var quote = new Quote
            {
                OpportunityId = opportunity.Id,
                Number = await NextNumberAsync(db, today.Year, ct),
                VersionNo = 1,
                Title = request.Title.Trim(),
                Status = QuoteStatus.Draft,
                Currency = opportunity.Currency,
                TaxRatePercent = request.TaxRatePercent ?? settings.DefaultTaxRatePercent,
                ValidUntil = request.ValidUntil ?? today.AddDays(settings.QuoteValidDays),
                Terms = string.IsNullOrWhiteSpace(request.Terms) ? settings.DefaultQuoteTerms : request.Terms.Trim(),
                Notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim(),
            };
            var lines = await QuoteStore.LinesAsync(db, quote.Id, quote.Currency, request.Lines, new HashSet<Guid>(), ct);
            db.Quotes.Add(quote);
            db.QuoteLines.AddRange(lines);
            QuoteStore.Total(quote, lines);
            try
            {
                await db.SaveChangesAsync(ct);
                return await QuoteStore.ReadAsync(db, user, quote.Id, ct);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    public async Task<QuoteDto> UpdateAsync(CurrentUser user, Guid quoteId, UpdateQuoteRequest request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.QuotesEdit);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var (quote, _) = await QuoteStore.LoadForChangeAsync(db, user, quoteId, ct);
        Versioning.EnsureVersion(quote.Version, version);
        if (quote.Status != QuoteStatus.Draft)
        {
            throw new ConflictException($"Only a draft can be changed; this version is {quote.Status}. Revise the quote to change it.");
        }

        var onQuote = (await db.QuoteLines.Where(l => l.QuoteId == quote.Id && l.ProductId != null).Select(l => l.ProductId!.Value).ToListAsync(ct))
            .ToHashSet();
        quote.Title = request.Title.Trim();
        quote.TaxRatePercent = request.TaxRatePercent ?? quote.TaxRatePercent;
        quote.ValidUntil = request.ValidUntil;
        quote.Terms = string.IsNullOrWhiteSpace(request.Terms) ? null : request.Terms.Trim();
        quote.Notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim();
        var lines = await QuoteStore.LinesAsync(db, quote.Id, quote.Currency, request.Lines, onQuote, ct);
        await QuoteStore.ReplaceLinesAsync(db, quote, lines, ct);
        // The lines are separate rows: the quote's version moves with them even when no field of its own changed.
        db.Entry(quote).Property(q => q.Title).IsModified = true;
        await db.SaveChangesAsync(ct);
        return await QuoteStore.ReadAsync(db, user, quote.Id, ct);
    }

    /// <summary>
    /// The next version of the quote as a draft copy of <paramref name="quoteId"/>, which must be the latest version and not
    /// a draft (change that instead) or accepted (final). The earlier version stays readable: one pending approval or
    /// approved but not sent becomes Superseded (its approval withdrawn); one sent or decided keeps its status.
    /// </summary>
    public async Task<QuoteDto> ReviseAsync(CurrentUser user, Guid quoteId, CancellationToken ct = default)
    {
        user.Require(Permissions.QuotesEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var (quote, _) = await QuoteStore.LoadForChangeAsync(db, user, quoteId, ct);
        var latest = await db.Quotes.Where(q => q.OpportunityId == quote.OpportunityId && q.Number == quote.Number).MaxAsync(q => q.VersionNo, ct);
        if (latest != quote.VersionNo)
        {
            throw new ConflictException($"Version {latest} of {quote.Number} is the latest: revise that one.");
        }

        switch (quote.Status)
        {
            case QuoteStatus.Draft:
                throw new ConflictException("This version is still a draft: change it instead of revising it.");
            case QuoteStatus.Accepted:
                throw new ConflictException("The customer accepted this version: it is final.");
            case QuoteStatus.PendingApproval or QuoteStatus.Approved:
                if (quote.ApprovalId is { } pending)
                {
                    await approvals.CancelAsync(db, pending, ct);
                }

                quote.Status = QuoteStatus.Superseded;
                break;
        }

        var next = new Quote
        {
            OpportunityId = quote.OpportunityId,
            Number = quote.Number,
            VersionNo = quote.VersionNo + 1,
            Title = quote.Title,
            Status = QuoteStatus.Draft,
            Currency = quote.Currency,
            TaxRatePercent = quote.TaxRatePercent,
            ValidUntil = quote.ValidUntil,
            Terms = quote.Terms,
            Notes = quote.Notes,
            SubtotalMinor = quote.SubtotalMinor,
            DiscountMinor = quote.DiscountMinor,
            TaxMinor = quote.TaxMinor,
            TotalMinor = quote.TotalMinor,
            MaxDiscountPercent = quote.MaxDiscountPercent,
        };
        var lines = await db.QuoteLines.AsNoTracking().Where(l => l.QuoteId == quote.Id).OrderBy(l => l.SortOrder).ToListAsync(ct);
        db.Quotes.Add(next);
        db.QuoteLines.AddRange(lines.Select(l => new QuoteLine
        {
            QuoteId = next.Id,
            SortOrder = l.SortOrder,
            ProductId = l.ProductId,
            ProductCode = l.ProductCode,
            Description = l.Description,
            Unit = l.Unit,
            Quantity = l.Quantity,
            UnitPriceMinor = l.UnitPriceMinor,
            DiscountPercent = l.DiscountPercent,
            LineTotalMinor = l.LineTotalMinor,
        }));
        await db.SaveChangesAsync(ct);
        return await QuoteStore.ReadAsync(db, user, next.Id, ct);
    }

    // Numbers are read across all quotes (only the number, nothing else): they count per company, not per scope.
    private static async Task<string> NextNumberAsync(AppDbContext db, int year, CancellationToken ct)
    {
        var prefix = $"Q-{year}-";
        var numbers = await db.Quotes.AsNoTracking().Where(q => q.Number.StartsWith(prefix)).Select(q => q.Number).Distinct().ToListAsync(ct);
        var last = numbers.Select(n => int.TryParse(n[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture, out var seq) ? seq : 0)
            .DefaultIfEmpty(0).Max();
        return $"{prefix}{last + 1:0000}";
    }
}

public static class QuoteEditingEndpoints
{
    public static void MapQuoteEditing(this RouteGroupBuilder opportunities, RouteGroupBuilder quotes)
    {
        opportunities.MapPost("/{id:guid}/quotes", async (Guid id, CreateQuoteRequest request, CurrentUser user, QuoteEditingHandler handler,
                CancellationToken ct) =>
            {
                var created = await handler.CreateAsync(user, id, request, ct);
                return TypedResults.Created($"/api/v1/quotes/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.QuotesEdit)
            .WithName("CreateQuote")
            .WithSummary("Start a quote (v1, a draft numbered Q-{year}-{seq}) for an opportunity the caller may change. A line names a product " +
                "(its name, unit and list price are the defaults) or gives a description and unit price; tax rate, validity and terms default " +
                "from the quote settings, the currency is the opportunity's. Amounts in minor units.");

        quotes.MapPut("/{id:guid}", async (Guid id, UpdateQuoteRequest request, CurrentUser user, QuoteEditingHandler handler, HttpContext http,
                CancellationToken ct) =>
            {
                var updated = await handler.UpdateAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), ct);
                http.Response.Headers.ETag = $"\"{updated.Version}\"";
                return TypedResults.Ok(updated);
            })
            .RequireAuthorization(Permissions.QuotesEdit)
            .WithName("UpdateQuote")
            .WithSummary("Change a draft (its lines replace the earlier ones); send the version you read (field or If-Match). Other statuses answer 409.");

        quotes.MapPost("/{id:guid}/revise", async (Guid id, CurrentUser user, QuoteEditingHandler handler, CancellationToken ct) =>
            {
                var next = await handler.ReviseAsync(user, id, ct);
                return TypedResults.Created($"/api/v1/quotes/{next.Id}", next);
            })
            .RequireAuthorization(Permissions.QuotesEdit)
            .WithName("ReviseQuote")
            .WithSummary("Make the next version of the quote as a draft copy of this, its latest version. The earlier version stays readable: " +
                "pending approval or approved becomes Superseded; sent or decided keeps its status.");
    }
}
