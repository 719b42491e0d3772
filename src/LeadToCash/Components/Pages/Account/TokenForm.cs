using LeadToCash.Modules.Organization.Tokens;

namespace LeadToCash.Components.Pages.Account;

/// <summary>The create-token form's model; validated as the <see cref="CreateTokenRequest"/> it becomes.</summary>
public sealed class TokenForm
{
    public string Name { get; set; } = "";

    public int? ExpiresInDays { get; set; } = 90;

    public CreateTokenRequest ToRequest() => new(Name, ExpiresInDays);

    public static string LabelKey(string property) => $"Tokens.{property}";
}
