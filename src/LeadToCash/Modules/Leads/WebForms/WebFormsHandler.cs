using System.Security.Cryptography;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Leads.WebForms;

/// <summary>A website form with what its owner pastes into their site: the post address and the HTML snippets.</summary>
public sealed record WebFormDto(Guid Id, string Name, string SourceChannel, IReadOnlyList<string> AllowedOrigins, Guid TeamId,
    string? TeamName, bool IsActive, string Key, string PostUrl, string HtmlSnippet, string ScriptSnippet, int SubmissionCount,
    DateTime? LastSubmissionAt, int Version);

/// <param name="AllowedOrigins">Origins (scheme://host[:port]) allowed to post from a browser, one per line.</param>
public sealed record SaveWebFormRequest(string Name, string SourceChannel, string? AllowedOrigins, Guid TeamId,
    bool IsActive = true, int? Version = null);

public sealed class SaveWebFormValidator : AbstractValidator<SaveWebFormRequest>
{
    public SaveWebFormValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
        RuleFor(x => x.SourceChannel).NotEmpty().MaximumLength(50);
        RuleFor(x => x.TeamId).NotEmpty();
        RuleFor(x => x.AllowedOrigins).MaximumLength(2000)
            .Must(o => WebOrigins.Parse(o).Invalid.Count == 0).WithErrorCode("OriginFormat")
            .WithMessage(x => $"Each line must be an origin such as https://www.example.com (no path): {string.Join(", ", WebOrigins.Parse(x.AllowedOrigins).Invalid)}.");
    }
}

/// <summary>Origins as browsers send them in the Origin header: scheme://host[:port], lower case, default port left out.</summary>
public static class WebOrigins
{
    public static (IReadOnlyList<string> Valid, IReadOnlyList<string> Invalid) Parse(string? lines)
    {
        var valid = new List<string>();
        var invalid = new List<string>();
        foreach (var line in (lines ?? "").Split(['\n', '\r', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Normalize(line) is { } origin)
            {
                if (!valid.Contains(origin, StringComparer.Ordinal))
                {
                    valid.Add(origin);
                }
            }
            else
            {
                invalid.Add(line);
            }
        }

        return (valid, invalid);
    }

    /// <summary>The origin of an http(s) address with nothing after the host but an optional "/"; else null.</summary>
    public static string? Normalize(string? value)
    {
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return OriginOf(uri);
    }

    public static string OriginOf(Uri uri) => uri.IsDefaultPort
        ? $"{uri.Scheme}://{uri.IdnHost}".ToLowerInvariant()
        : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}".ToLowerInvariant();

    public static bool Allows(string allowedOrigins, string? origin) =>
        Normalize(origin) is { } normalized && Parse(allowedOrigins).Valid.Contains(normalized, StringComparer.Ordinal);
}

/// <summary>Website forms that post leads into a team's pool: created, changed, retired and re-keyed by an Admin.</summary>
public sealed class WebFormsHandler(IDbContextFactory<AppDbContext> dbFactory, IStringLocalizer<SharedResource> strings)
{
    private static readonly SaveWebFormValidator Validator = new();

    /// <param name="publicBaseUrl">Where the public reaches the app (e.g. https://crm.example.com), for the snippets.</param>
    public async Task<IReadOnlyList<WebFormDto>> ListAsync(CurrentUser user, string publicBaseUrl, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var forms = await db.WebForms.AsNoTracking().OrderBy(f => f.Name).ToListAsync(ct);
        var teams = await TeamNamesAsync(db, ct);
        return [.. forms.Select(f => ToDto(f, teams, publicBaseUrl))];
    }

    public async Task<WebFormDto> GetAsync(CurrentUser user, Guid id, string publicBaseUrl, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var form = await db.WebForms.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw new NotFoundException("The web form");
        return ToDto(form, await TeamNamesAsync(db, ct), publicBaseUrl);
    }

    public async Task<WebFormDto> CreateAsync(CurrentUser user, SaveWebFormRequest request, string publicBaseUrl, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await EnsureReferencesAsync(db, request, ct);
        var form = new WebForm
        {
            Name = request.Name.Trim(),
            SourceChannel = request.SourceChannel,
            Key = NewKey(),
            AllowedOrigins = string.Join('\n', WebOrigins.Parse(request.AllowedOrigins).Valid),
            TeamId = request.TeamId,
            IsActive = request.IsActive,
        };
        db.WebForms.Add(form);
        await db.SaveChangesAsync(ct);
        return ToDto(form, await TeamNamesAsync(db, ct), publicBaseUrl);
    }

    public async Task<WebFormDto> UpdateAsync(CurrentUser user, Guid id, SaveWebFormRequest request, int version, string publicBaseUrl,
        CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var form = await db.WebForms.FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw new NotFoundException("The web form");
        Versioning.EnsureVersion(form.Version, version);
        await EnsureReferencesAsync(db, request, ct, form.SourceChannel);
        form.Name = request.Name.Trim();
        form.SourceChannel = request.SourceChannel;
        form.AllowedOrigins = string.Join('\n', WebOrigins.Parse(request.AllowedOrigins).Valid);
        form.TeamId = request.TeamId;
        form.IsActive = request.IsActive;
        await db.SaveChangesAsync(ct);
        return ToDto(form, await TeamNamesAsync(db, ct), publicBaseUrl);
    }

    /// <summary>A new key: the old snippet stops working at once (for a key that leaked or a site taken down).</summary>
    public async Task<WebFormDto> RegenerateKeyAsync(CurrentUser user, Guid id, int version, string publicBaseUrl, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var form = await db.WebForms.FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw new NotFoundException("The web form");
        Versioning.EnsureVersion(form.Version, version);
        form.Key = NewKey();
        await db.SaveChangesAsync(ct);
        return ToDto(form, await TeamNamesAsync(db, ct), publicBaseUrl);
    }

    /// <summary>Moves the form to the recycle bin; its key stops working, the leads it brought stay.</summary>
    public async Task DeleteAsync(CurrentUser user, Guid id, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var form = await db.WebForms.FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw new NotFoundException("The web form");
        Versioning.EnsureVersion(form.Version, version);
        db.WebForms.Remove(form);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>192 random bits, URL-safe base64 (32 characters).</summary>
    public static string NewKey() => Base64UrlEncode(RandomNumberGenerator.GetBytes(24));

    public static string PostUrl(string publicBaseUrl, string key) => $"{publicBaseUrl.TrimEnd('/')}/api/public/forms/{key}/leads";

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task EnsureReferencesAsync(AppDbContext db, SaveWebFormRequest request, CancellationToken ct, string? currentChannel = null)
    {
        var failures = new List<ValidationFailure>();
        if (request.SourceChannel != currentChannel
            && !await db.OptionItems.AnyAsync(o => o.ListKey == OptionLists.SourceChannels && o.Code == request.SourceChannel && o.IsActive, ct))
        {
            failures.Add(new ValidationFailure("sourceChannel", $"'{request.SourceChannel}' is not a source channel of the option list."));
        }

        if (!await db.Teams.AnyAsync(t => t.Id == request.TeamId, ct))
        {
            failures.Add(new ValidationFailure("teamId", "The team does not exist."));
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
    }

    private static async Task<Dictionary<Guid, string>> TeamNamesAsync(AppDbContext db, CancellationToken ct) =>
        await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);

    private WebFormDto ToDto(WebForm f, Dictionary<Guid, string> teams, string publicBaseUrl)
    {
        var postUrl = PostUrl(publicBaseUrl, f.Key);
        return new WebFormDto(f.Id, f.Name, f.SourceChannel, WebOrigins.Parse(f.AllowedOrigins).Valid, f.TeamId,
            teams.GetValueOrDefault(f.TeamId), f.IsActive, f.Key, postUrl, WebFormSnippet.Html(postUrl, strings),
            WebFormSnippet.Script(postUrl, strings), f.SubmissionCount,
            f.LastSubmissionAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null, f.Version);
    }
}
