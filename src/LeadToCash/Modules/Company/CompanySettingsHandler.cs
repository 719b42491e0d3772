using FluentValidation;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Company;

public sealed record CompanySettingsDto(string Name, string TimeZone, string Currency, string WorkingDays,
    TimeOnly WorkdayStart, TimeOnly WorkdayEnd, string DefaultCulture, int Version);

public sealed record UpdateCompanySettingsRequest(string Name, string TimeZone, string Currency, string WorkingDays,
    TimeOnly WorkdayStart, TimeOnly WorkdayEnd, string DefaultCulture, int? Version = null);

public sealed class UpdateCompanySettingsValidator : AbstractValidator<UpdateCompanySettingsRequest>
{
    public static readonly IReadOnlyList<string> Currencies = [.. Platform.Money.Money.KnownCurrencies];

    public UpdateCompanySettingsValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.TimeZone).NotEmpty().Must(BeATimeZone).WithMessage("'{PropertyValue}' is not a known time zone (e.g. Asia/Shanghai).");
        RuleFor(x => x.Currency).NotEmpty().Must(c => Currencies.Contains(c))
            .WithMessage($"The currency must be one of: {string.Join(", ", Currencies)}.");
        RuleFor(x => x.WorkingDays).NotEmpty().Matches("^[01]{7}$")
            .WithMessage("Working days are 7 characters 0/1 starting on Monday, e.g. 1111100.");
        RuleFor(x => x.WorkdayEnd).GreaterThan(x => x.WorkdayStart).WithMessage("The working day must end after it starts.");
        RuleFor(x => x.DefaultCulture).Must(c => c is "zh-CN" or "en-US").WithMessage("The language must be zh-CN or en-US.");
    }

    private static bool BeATimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}

public sealed class CompanySettingsHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    private static readonly UpdateCompanySettingsValidator Validator = new();

    public async Task<CompanySettingsDto> GetAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var settings = await db.CompanySettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? throw new NotFoundException("The company settings");
        return ToDto(settings);
    }

    public async Task<CompanySettingsDto> UpdateAsync(CurrentUser user, UpdateCompanySettingsRequest request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var settings = await db.CompanySettings.FirstOrDefaultAsync(ct) ?? throw new NotFoundException("The company settings");
        Versioning.EnsureVersion(settings.Version, version);
        settings.Name = request.Name.Trim();
        settings.TimeZone = request.TimeZone;
        settings.Currency = request.Currency;
        settings.WorkingDays = request.WorkingDays;
        settings.WorkdayStart = request.WorkdayStart;
        settings.WorkdayEnd = request.WorkdayEnd;
        settings.DefaultCulture = request.DefaultCulture;
        await db.SaveChangesAsync(ct);
        return ToDto(settings);
    }

    /// <summary>The company's working calendar, for any module that counts working time.</summary>
    public async Task<WorkingCalendar> CalendarAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        var settings = await db.CompanySettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new CompanySettings { Name = "" };
        var holidays = await db.Holidays.AsNoTracking().ToListAsync(ct);
        return WorkingCalendar.From(settings, holidays);
    }

    private static CompanySettingsDto ToDto(CompanySettings s) =>
        new(s.Name, s.TimeZone, s.Currency, s.WorkingDays, s.WorkdayStart, s.WorkdayEnd, s.DefaultCulture, s.Version);
}
