using FluentValidation;
using LeadToCash.Platform.Approvals;

namespace LeadToCash.Modules.Quotes;

public sealed record QuoteLineDto(
    Guid Id,
    int SortOrder,
    Guid? ProductId,
    string? ProductCode,
    string Description,
    string? Unit,
    decimal Quantity,
    long UnitPriceMinor,
    decimal DiscountPercent,
    long LineTotalMinor);

/// <summary>The approval a quote version waits for or had: why, who decides, and the decision's comment.</summary>
public sealed record QuoteApprovalDto(Guid Id, ApprovalStatus Status, string Reason, string? ApproverName, string? Comment, DateTime RequestedAt,
    DateTime? DecidedAt)
{
    /// <summary>The caller may take the pending request back now (its requester, or an Admin).</summary>
    public bool CanWithdraw { get; init; }
}

/// <summary>One version of a quote with its lines and totals (minor units), and whether the caller may change it.</summary>
public sealed record QuoteDto(
    Guid Id,
    Guid OpportunityId,
    string OpportunityName,
    Guid CustomerId,
    string CustomerName,
    string Number,
    int VersionNo,
    string Title,
    QuoteStatus Status,
    string Currency,
    decimal TaxRatePercent,
    DateOnly? ValidUntil,
    string? Terms,
    string? Notes,
    long SubtotalMinor,
    long DiscountMinor,
    long TaxMinor,
    long TotalMinor,
    decimal MaxDiscountPercent,
    DateTime? SentAt,
    DateTime? DecidedAt,
    string? CustomerResponse,
    int Version,
    DateTime CreatedAt,
    string? CreatedByName,
    DateTime UpdatedAt,
    IReadOnlyList<QuoteLineDto> Lines,
    QuoteApprovalDto? Approval,
    bool CanChange)
{
    /// <summary>The amount the lines add up to after their discounts, before tax.</summary>
    public long NetMinor => SubtotalMinor - DiscountMinor;
}

/// <summary>A quote version in lists (the opportunity's quotes, a quote's versions).</summary>
public sealed record QuoteSummaryDto(
    Guid Id,
    Guid OpportunityId,
    string Number,
    int VersionNo,
    string Title,
    QuoteStatus Status,
    string Currency,
    long SubtotalMinor,
    long DiscountMinor,
    long TaxMinor,
    long TotalMinor,
    decimal MaxDiscountPercent,
    DateTime CreatedAt,
    string? CreatedByName,
    DateTime? SentAt,
    DateTime? DecidedAt);

/// <summary>
/// A line to write: a catalogue product (its code, name, unit and list price are the defaults) or free text (a description
/// and a unit price are then required). Prices in minor units.
/// </summary>
public sealed record QuoteLineRequest(
    Guid? ProductId = null,
    string? Description = null,
    decimal Quantity = 1,
    long? UnitPriceMinor = null,
    decimal DiscountPercent = 0,
    string? Unit = null);

/// <summary>A new quote (v1). Tax rate, validity and terms default from the company's quote settings; the currency is the opportunity's.</summary>
public sealed record CreateQuoteRequest(
    string Title,
    IReadOnlyList<QuoteLineRequest>? Lines = null,
    decimal? TaxRatePercent = null,
    DateOnly? ValidUntil = null,
    string? Terms = null,
    string? Notes = null);

/// <summary>The whole draft: its lines replace the earlier ones; a null tax rate keeps the draft's.</summary>
public sealed record UpdateQuoteRequest(
    string Title,
    IReadOnlyList<QuoteLineRequest>? Lines = null,
    decimal? TaxRatePercent = null,
    DateOnly? ValidUntil = null,
    string? Terms = null,
    string? Notes = null,
    int? Version = null);

/// <summary>The customer's answer to a sent quote, kept with it.</summary>
public sealed record QuoteResponseRequest(string? CustomerResponse = null);

public sealed class QuoteLineValidator : AbstractValidator<QuoteLineRequest>
{
    public const decimal MaxQuantity = 1_000_000_000m;

    public QuoteLineValidator()
    {
        RuleFor(x => x.Quantity).GreaterThan(0m).LessThanOrEqualTo(MaxQuantity).PrecisionScale(18, 4, ignoreTrailingZeros: true);
        RuleFor(x => x.DiscountPercent).InclusiveBetween(0m, 100m).PrecisionScale(9, 4, ignoreTrailingZeros: true);
        RuleFor(x => x.UnitPriceMinor).GreaterThanOrEqualTo(0).LessThanOrEqualTo(1_000_000_000_000_000);
        RuleFor(x => x.UnitPriceMinor).NotNull().When(x => x.ProductId is null)
            .WithMessage("A line without a product needs a unit price.").WithErrorCode("LinePrice");
        RuleFor(x => x.Description).NotEmpty().When(x => x.ProductId is null)
            .WithMessage("A line without a product needs a description.").WithErrorCode("LineDescription");
        RuleFor(x => x.Description).MaximumLength(500);
        RuleFor(x => x.Unit).MaximumLength(20);
    }
}

/// <summary>The rules of a quote's fields, for create and update alike (the API and the editor page).</summary>
public sealed class QuoteFieldsValidator : AbstractValidator<UpdateQuoteRequest>
{
    public const int MaxLines = 200;

    public QuoteFieldsValidator()
    {
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200);
        RuleFor(x => x.TaxRatePercent).InclusiveBetween(0m, 100m).PrecisionScale(9, 4, ignoreTrailingZeros: true);
        RuleFor(x => x.Terms).MaximumLength(4000);
        RuleFor(x => x.Notes).MaximumLength(2000);
        RuleFor(x => x.Lines).Must(l => l is null || l.Count <= MaxLines).WithMessage($"A quote has at most {MaxLines} lines.");
        RuleForEach(x => x.Lines).SetValidator(new QuoteLineValidator());
    }
}
