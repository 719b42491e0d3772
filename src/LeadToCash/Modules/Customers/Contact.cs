using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Customers;

/// <summary>A contact's part in the customer's purchase decision.</summary>
public enum PurchaseRole
{
    DecisionMaker = 0,
    Influencer = 1,
    User = 2,
    Purchaser = 3,
    Gatekeeper = 4,
}

/// <summary>Where a contact stands on our offer.</summary>
public enum ContactStance
{
    Supporter = 0,
    Neutral = 1,
    Opponent = 2,
}

/// <summary>A person at a customer. Visible and changeable with its customer.</summary>
public sealed class Contact : BusinessRecord
{
    public const string RecordType = "contact";

    public Guid CustomerId { get; set; }
    public required string Name { get; set; }
    public string? Title { get; set; }
    public string? Mobile { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? WeChat { get; set; }
    public PurchaseRole? Role { get; set; }
    public ContactStance? Stance { get; set; }

    /// <summary>Whom this contact reports to at the customer; draws the decision chain (决策链).</summary>
    public Guid? ReportsToId { get; set; }
    public bool IsPrimary { get; set; }
    public string? Notes { get; set; }

    // Normalised phone (mobile, else phone) and e-mail for the duplicate check and the search.
    public string? PhoneKey { get; set; }
    public string? EmailKey { get; set; }
    public string? Pinyin { get; set; }
    public string? PinyinInitials { get; set; }

    /// <summary>The lead this contact came from, when it was created by a conversion.</summary>
    public Guid? SourceLeadId { get; set; }
}
