using LeadToCash.Modules.Customers;

namespace LeadToCash.Modules.Opportunities;

/// <summary>A contact of the customer involved in the deal.</summary>
public sealed record OpportunityContactDto(Guid Id, string Name, string? Title, PurchaseRole? Role);

/// <summary>
/// An opportunity as the API and the pages show it. Names (customer, owner, stage) are those the caller may see:
/// <see cref="CustomerName"/> is null when the customer is not visible to the caller. <see cref="WeightedAmountMinor"/>
/// is amount × probability / 100, rounded half away from zero. <see cref="CanChange"/>: whether the caller may change it.
/// </summary>
public sealed record OpportunityDto(
    Guid Id,
    Guid CustomerId,
    string? CustomerName,
    string Name,
    long AmountMinor,
    string Currency,
    DateOnly? ExpectedCloseDate,
    Guid PipelineId,
    string PipelineName,
    Guid StageId,
    string StageName,
    StageKind StageKind,
    DateTime StageEnteredAt,
    int Probability,
    bool ProbabilityOverridden,
    long WeightedAmountMinor,
    OpportunityStatus Status,
    DateTime? ClosedAt,
    string? LostReason,
    string? LostToCompetitor,
    string? SourceChannel,
    string? Competitors,
    string? NextStep,
    string? Description,
    Guid? OwnerId,
    string? OwnerName,
    IReadOnlyList<OpportunityContactDto> Contacts,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    bool CanChange);

/// <summary>A row of the opportunity list.</summary>
public sealed record OpportunityListItem(
    Guid Id,
    string Name,
    Guid CustomerId,
    string? CustomerName,
    long AmountMinor,
    string Currency,
    DateOnly? ExpectedCloseDate,
    Guid PipelineId,
    Guid StageId,
    string? StageName,
    int Probability,
    long WeightedAmountMinor,
    OpportunityStatus Status,
    Guid? OwnerId,
    string? OwnerName,
    DateTime UpdatedAt,
    int Version);

/// <summary>Weighted amounts: amount × probability / 100 in minor units, rounded half away from zero.</summary>
public static class Weighted
{
    public static long Of(long amountMinor, int probability) =>
        (long)Math.Round(amountMinor * (decimal)probability / 100m, 0, MidpointRounding.AwayFromZero);

    /// <summary>The weighted amount of a sum of amount × probability products (as the database adds them up).</summary>
    public static long FromProducts(long sumOfAmountTimesProbability) =>
        (long)Math.Round(sumOfAmountTimesProbability / 100m, 0, MidpointRounding.AwayFromZero);
}
