namespace LeadToCash.Modules.Organization;

public enum ApiTokenKind
{
    /// <summary>Issued by POST /api/v1/auth/token after a password sign-in; short-lived.</summary>
    Session = 0,

    /// <summary>Created by a user or an Admin for scripts and integrations; revocable.</summary>
    Personal = 1,
}

/// <summary>A bearer token. Only its SHA-256 hash is stored; the clear value is shown once, at creation.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public ApiTokenKind Kind { get; set; }
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    public required string Prefix { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}
