using LeadToCash.Components.Pages.Customers;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.CreateOpportunity;
using LeadToCash.Modules.Opportunities.UpdateOpportunity;
using LeadToCash.Platform.Money;

namespace LeadToCash.Components.Pages.Opportunities;

/// <summary>The opportunity dialog's fields; the amount is typed in major units (元) and stored in minor units (分).</summary>
public sealed class OpportunityForm
{
    public CustomerChoice? Customer { get; set; }

    public string Name { get; set; } = "";

    public decimal? Amount { get; set; }

    public string Currency { get; set; } = "CNY";

    public DateTime? ExpectedCloseDate { get; set; }

    public Guid? PipelineId { get; set; }

    public IReadOnlyCollection<Guid> ContactIds { get; set; } = [];

    public string? Competitors { get; set; }

    public string? NextStep { get; set; }

    public string? Description { get; set; }

    public bool OverrideProbability { get; set; }

    public int Probability { get; set; }

    public static OpportunityForm From(OpportunityDto o) => new()
    {
        Customer = new CustomerChoice(o.CustomerId, o.CustomerName),
        Name = o.Name,
        Amount = o.AmountMinor == 0 ? null : new Money(o.AmountMinor, o.Currency).ToDecimal(),
        Currency = o.Currency,
        ExpectedCloseDate = o.ExpectedCloseDate?.ToDateTime(TimeOnly.MinValue),
        PipelineId = o.PipelineId,
        ContactIds = [.. o.Contacts.Select(c => c.Id)],
        Competitors = o.Competitors,
        NextStep = o.NextStep,
        Description = o.Description,
        OverrideProbability = o.ProbabilityOverridden,
        Probability = o.Probability,
    };

    public long? AmountMinor => Amount is { } amount ? Money.FromDecimal(amount, Currency).Minor : null;

    private DateOnly? CloseDate => ExpectedCloseDate is { } d ? DateOnly.FromDateTime(d) : null;

    public CreateOpportunityRequest ToCreateRequest() => new(Customer?.Id ?? Guid.Empty, Name, AmountMinor, Currency, CloseDate, PipelineId,
        [.. ContactIds], Competitors: Competitors, NextStep: NextStep, Description: Description);

    public UpdateOpportunityRequest ToUpdateRequest(int version) => new(Name, AmountMinor, Currency, CloseDate, Competitors, NextStep, Description,
        [.. ContactIds], OverrideProbability ? Probability : null, version);
}
