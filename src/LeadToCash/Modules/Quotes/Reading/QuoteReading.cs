using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Quotes.Reading;

/// <summary>How a line of one version compares with the other: added, removed, changed (which fields) or the same.</summary>
public enum LineChangeKind
{
    Same = 0,
    Added = 1,
    Removed = 2,
    Changed = 3,
}

public sealed record QuoteLineChange(LineChangeKind Kind, QuoteLineDto? Left, QuoteLineDto? Right, IReadOnlyList<string> ChangedFields);

/// <summary>Two versions side by side: each with its totals, and their lines paired (by product, else by description).</summary>
public sealed record QuoteComparison(QuoteDto Left, QuoteDto Right, IReadOnlyList<QuoteLineChange> Lines);

public sealed class QuoteReadingHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>Every version of every quote of a visible opportunity, by number then version.</summary>
    public async Task<IReadOnlyList<QuoteSummaryDto>> ListAsync(CurrentUser user, Guid opportunityId, CancellationToken ct = default)
    {
        user.Require(Permissions.QuotesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await QuoteStore.VisibleOpportunityAsync(db, opportunityId, ct);
        return await QuoteStore.SummariesAsync(db, db.Quotes.Where(q => q.OpportunityId == opportunityId), ct);
    }

    /// <summary>Whether the caller may write quotes of the opportunity (they may change the opportunity): for the pages' buttons.</summary>
    public async Task<bool> CanChangeAsync(CurrentUser user, Guid opportunityId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.OpenAsync(user, ct);
        var opportunity = await QuoteStore.VisibleOpportunityAsync(db, opportunityId, ct);
        return user.Has(Permissions.QuotesEdit) && await RecordAccess.CanChangeAsync(db, user, opportunity, ct);
    }

    public async Task<QuoteDto> GetAsync(CurrentUser user, Guid quoteId, CancellationToken ct = default)
    {
        user.Require(Permissions.QuotesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await QuoteStore.ReadAsync(db, user, quoteId, ct);
    }

    /// <summary>The versions of the quote this version belongs to (same number), v1 first.</summary>
    public async Task<IReadOnlyList<QuoteSummaryDto>> VersionsAsync(CurrentUser user, Guid quoteId, CancellationToken ct = default)
    {
        user.Require(Permissions.QuotesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var (quote, _) = await QuoteStore.LoadAsync(db, quoteId, ct);
        return await QuoteStore.SummariesAsync(db, db.Quotes.Where(q => q.OpportunityId == quote.OpportunityId && q.Number == quote.Number), ct);
    }

    /// <summary>Compares two quotes of the same opportunity (usually two versions of one quote).</summary>
    public async Task<QuoteComparison> CompareAsync(CurrentUser user, Guid leftId, Guid rightId, CancellationToken ct = default)
    {
        user.Require(Permissions.QuotesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var left = await QuoteStore.ReadAsync(db, user, leftId, ct);
        var right = await QuoteStore.ReadAsync(db, user, rightId, ct);
        if (left.OpportunityId != right.OpportunityId)
        {
            throw QuoteStore.Invalid("with", "Only quotes of the same opportunity can be compared.");
        }

        return new QuoteComparison(left, right, Compare(left.Lines, right.Lines));
    }

    /// <summary>
    /// Pairs the lines of two versions: the same product (or, for free text, the same description) is one line that may have
    /// changed; the rest were added or removed. Order follows the right (newer) version, removed lines after.
    /// </summary>
    public static IReadOnlyList<QuoteLineChange> Compare(IReadOnlyList<QuoteLineDto> left, IReadOnlyList<QuoteLineDto> right)
    {
        var unmatched = left.ToList();
        var changes = new List<QuoteLineChange>();
        foreach (var line in right)
        {
            var match = unmatched.FirstOrDefault(l => line.ProductId is not null ? l.ProductId == line.ProductId
                : l.ProductId is null && string.Equals(l.Description.Trim(), line.Description.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                changes.Add(new QuoteLineChange(LineChangeKind.Added, null, line, []));
                continue;
            }

            unmatched.Remove(match);
            var fields = new List<string>();
            if (match.Description != line.Description)
            {
                fields.Add("description");
            }

            if (match.Unit != line.Unit)
            {
                fields.Add("unit");
            }

            if (match.Quantity != line.Quantity)
            {
                fields.Add("quantity");
            }

            if (match.UnitPriceMinor != line.UnitPriceMinor)
            {
                fields.Add("unitPriceMinor");
            }

            if (match.DiscountPercent != line.DiscountPercent)
            {
                fields.Add("discountPercent");
            }

            if (match.LineTotalMinor != line.LineTotalMinor)
            {
                fields.Add("lineTotalMinor");
            }

            changes.Add(new QuoteLineChange(fields.Count == 0 ? LineChangeKind.Same : LineChangeKind.Changed, match, line, fields));
        }

        changes.AddRange(unmatched.Select(l => new QuoteLineChange(LineChangeKind.Removed, l, null, [])));
        return changes;
    }
}

public static class QuoteReadingEndpoints
{
    public static void MapQuoteReading(this RouteGroupBuilder opportunities, RouteGroupBuilder quotes)
    {
        opportunities.MapGet("/{id:guid}/quotes", async (Guid id, CurrentUser user, QuoteReadingHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, id, ct)))
            .RequireAuthorization(Permissions.QuotesRead)
            .WithName("ListOpportunityQuotes")
            .WithSummary("Every version of every quote of the opportunity, by number then version, with status and totals.");

        quotes.MapGet("/{id:guid}", async (Guid id, CurrentUser user, QuoteReadingHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var quote = await handler.GetAsync(user, id, ct);
                http.Response.Headers.ETag = $"\"{quote.Version}\"";
                return TypedResults.Ok(quote);
            })
            .RequireAuthorization(Permissions.QuotesRead)
            .WithName("GetQuote")
            .WithSummary("One quote version with its lines, totals (minor units), approval and whether the caller may change it.");

        quotes.MapGet("/{id:guid}/versions", async (Guid id, CurrentUser user, QuoteReadingHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.VersionsAsync(user, id, ct)))
            .RequireAuthorization(Permissions.QuotesRead)
            .WithName("ListQuoteVersions")
            .WithSummary("The versions of this quote (same number), v1 first, with date, author, status and totals.");

        quotes.MapGet("/{id:guid}/compare", async (Guid id, Guid with, CurrentUser user, QuoteReadingHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.CompareAsync(user, with, id, ct)))
            .RequireAuthorization(Permissions.QuotesRead)
            .WithName("CompareQuotes")
            .WithSummary("This version (right) against ?with= another version of the same opportunity (left): lines added, removed, changed " +
                "(with the fields) or the same, and both totals.");
    }
}
