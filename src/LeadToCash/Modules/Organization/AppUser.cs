using LeadToCash.Platform.Data;
using Microsoft.AspNetCore.Identity;

namespace LeadToCash.Modules.Organization;

/// <summary>A person who signs in. Never deleted: deactivated, so that their records stay and can be handed over.</summary>
public sealed class AppUser : IdentityUser<Guid>, IAudited
{
    public AppUser()
    {
        Id = Guid.CreateVersion7();
        SecurityStamp = Guid.NewGuid().ToString();
    }

    public string DisplayName { get; set; } = "";
    public Guid? TeamId { get; set; }
    public DateOnly? HireDate { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime? DeactivatedAt { get; set; }
    public DateTime? ErasedAt { get; set; }
    public string? PreferredCulture { get; set; }

    /// <summary>On leave: the lead assignment rules pass this rep over.</summary>
    public bool UnavailableForLeads { get; set; }
}

public sealed class AppRole : IdentityRole<Guid>
{
    public AppRole()
    {
        Id = Guid.CreateVersion7();
    }

    public AppRole(string name) : this()
    {
        Name = name;
        NormalizedName = name.ToUpperInvariant();
    }
}
