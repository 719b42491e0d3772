using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Opportunities;

/// <summary>
/// What the records say about one opportunity, as far as the gates care: its fields, the deliverables that exist and the
/// checklist items ticked.
/// </summary>
public sealed record GateFacts(
    long AmountMinor,
    bool HasExpectedCloseDate,
    bool HasContacts,
    bool HasCompetitors,
    bool HasNextStep,
    IReadOnlySet<string> Deliverables,
    IReadOnlySet<Guid> Ticked)
{
    /// <summary>The deliverables found for <paramref name="opportunity"/> and its checklist ticks, read from the records.</summary>
    public static async Task<GateFacts> LoadAsync(AppDbContext db, Opportunity opportunity, CancellationToken ct)
    {
        var id = opportunity.Id;
        var contacts = db.OpportunityContacts.Where(oc => oc.OpportunityId == id)
            .Join(db.Contacts, oc => oc.ContactId, c => c.Id, (oc, c) => c);
        var hasContacts = await contacts.AnyAsync(ct);
        var decisionMaker = await contacts.AnyAsync(c => c.Role == PurchaseRole.DecisionMaker, ct);
        // An analysis written for this deal, or one of the customer's not written for another deal.
        var needsConfirmed = await db.NeedsAnalyses.AnyAsync(n => n.ConfirmedAt != null
            && (n.OpportunityId == id || (n.OpportunityId == null && n.CustomerId == opportunity.CustomerId)), ct);
        var quoteStatuses = await db.Quotes.Where(q => q.OpportunityId == id).Select(q => q.Status).Distinct().ToListAsync(ct);
        var agreed = await db.NegotiationMinutes.AnyAsync(m => m.OpportunityId == id
            && (m.AgreedPriceMinor != null || (m.PaymentTerms != null && m.PaymentTerms != "")), ct);
        var ticked = await db.ChecklistTicks.Where(t => t.OpportunityId == id).Select(t => t.RequirementId).ToListAsync(ct);

        var deliverables = new HashSet<string>(StringComparer.Ordinal);
        if (needsConfirmed)
        {
            deliverables.Add(Opportunities.Deliverables.NeedsAnalysisConfirmed);
        }

        if (decisionMaker)
        {
            deliverables.Add(Opportunities.Deliverables.DecisionMakerKnown);
        }

        if (quoteStatuses.Any(s => s is QuoteStatus.Approved or QuoteStatus.Sent or QuoteStatus.Accepted))
        {
            deliverables.Add(Opportunities.Deliverables.QuoteApproved);
        }

        if (quoteStatuses.Contains(QuoteStatus.Accepted))
        {
            deliverables.Add(Opportunities.Deliverables.QuoteAccepted);
        }

        if (agreed)
        {
            deliverables.Add(Opportunities.Deliverables.NegotiationAgreed);
        }

        return new GateFacts(opportunity.AmountMinor, opportunity.ExpectedCloseDate is not null, hasContacts,
            !string.IsNullOrWhiteSpace(opportunity.Competitors), !string.IsNullOrWhiteSpace(opportunity.NextStep),
            deliverables, ticked.ToHashSet());
    }
}

/// <summary>
/// The stage gates (SOP): a deal leaves an open stage forward only when every requirement of that stage is met. Moving
/// from one stage to a later one leaves every open stage in between, so all their requirements count; moving back
/// leaves nothing and needs nothing.
/// </summary>
public static class StageGate
{
    /// <summary>
    /// The open stages an opportunity in <paramref name="from"/> leaves forward on its way to <paramref name="to"/>: the
    /// current stage and every active open stage before the target. None when the target is not later.
    /// </summary>
    public static IReadOnlyList<PipelineStage> StagesLeft(PipelineMap map, PipelineStage from, PipelineStage to)
    {
        if (to.Kind != StageKind.Open)
        {
            // Closing as won leaves every remaining open stage; closing as lost needs nothing.
            return to.Kind == StageKind.Won ? StagesLeftToWin(map, from) : [];
        }

        if (to.SortOrder <= from.SortOrder)
        {
            return [];
        }

        return [.. map.Stages.Where(s => s.Kind == StageKind.Open
            && (s.Id == from.Id || (s.IsActive && s.SortOrder > from.SortOrder && s.SortOrder < to.SortOrder)))];
    }

    /// <summary>The current open stage and every active open stage after it: what winning the deal walks through.</summary>
    public static IReadOnlyList<PipelineStage> StagesLeftToWin(PipelineMap map, PipelineStage from) =>
        [.. map.Stages.Where(s => s.Kind == StageKind.Open && (s.Id == from.Id || (s.IsActive && s.SortOrder > from.SortOrder)))];

    public static bool IsForward(PipelineStage from, PipelineStage to) =>
        to.Kind == StageKind.Won || (to.Kind == StageKind.Open && to.SortOrder > from.SortOrder);

    /// <summary>Whether the records meet one requirement. A code the system does not know is never met.</summary>
    public static bool IsMet(StageRequirement requirement, GateFacts facts) => requirement.Kind switch
    {
        RequirementKind.Deliverable => requirement.Code is { } code && facts.Deliverables.Contains(code),
        RequirementKind.Field => requirement.Code switch
        {
            GateFields.Amount => facts.AmountMinor > 0,
            GateFields.ExpectedCloseDate => facts.HasExpectedCloseDate,
            GateFields.Contacts => facts.HasContacts,
            GateFields.Competitors => facts.HasCompetitors,
            GateFields.NextStep => facts.HasNextStep,
            _ => false,
        },
        _ => facts.Ticked.Contains(requirement.Id),
    };

    /// <summary>The unmet requirements of <paramref name="stagesLeft"/>, stage by stage in their order.</summary>
    public static IReadOnlyList<StageRequirement> Missing(PipelineMap map, IEnumerable<PipelineStage> stagesLeft, GateFacts facts) =>
        [.. stagesLeft.SelectMany(s => map.RequirementsOf(s.Id)).Where(r => !IsMet(r, facts))];

    /// <summary>The stable code of a requirement as the API and the history name it: <c>kind:code</c> (checklist items by id).</summary>
    public static string CodeOf(StageRequirement requirement) => requirement.Kind switch
    {
        RequirementKind.Deliverable => "deliverable:" + requirement.Code,
        RequirementKind.Field => "field:" + requirement.Code,
        _ => "checklist:" + requirement.Id.ToString("D"),
    };

    /// <summary>What a requirement asks for, in the reader's language: its own text if an Admin wrote one, else the code's label.</summary>
    public static string Text(StageRequirement requirement, IStringLocalizer<SharedResource> strings)
    {
        var own = PipelineText.Chinese || string.IsNullOrWhiteSpace(requirement.TextEn) ? requirement.Text : requirement.TextEn;
        if (!string.IsNullOrWhiteSpace(own))
        {
            return own;
        }

        var kind = requirement.Kind == RequirementKind.Deliverable ? "Deliverable" : "Field";
        var label = strings[$"Opp.{kind}.{requirement.Code}"];
        return label.ResourceNotFound ? requirement.Code ?? "" : label.Value;
    }

    public static UnmetRequirement Describe(PipelineMap map, StageRequirement requirement, IStringLocalizer<SharedResource> strings)
    {
        var stage = map.Stage(requirement.StageId);
        return new UnmetRequirement(requirement.Kind.ToString().ToLowerInvariant(), CodeOf(requirement), Text(requirement, strings),
            requirement.Id, stage.Id, PipelineText.Name(stage));
    }

    /// <summary>The refusal of a move over unmet requirements: 409 with the list, each item in the reader's language.</summary>
    public static RequirementsNotMetException Refusal(PipelineMap map, IReadOnlyList<StageRequirement> missing,
        IStringLocalizer<SharedResource> strings) =>
        new($"The opportunity cannot move on yet: {missing.Count} requirement(s) of the stage gate are not met.",
            [.. missing.Select(r => Describe(map, r, strings))]);
}
