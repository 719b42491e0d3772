using System.Linq.Expressions;
using FluentValidation;
using LeadToCash.Platform.Money;

namespace LeadToCash.Modules.Products;

/// <summary>A product of the price book as the API and the pages show it. Prices are in minor units (分) of <see cref="Currency"/>.</summary>
public sealed record ProductDto(
    Guid Id,
    string Code,
    string Name,
    string? Line,
    string Unit,
    long ListPriceMinor,
    string Currency,
    long? FloorPriceMinor,
    bool IsActive,
    string? Description,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static readonly Expression<Func<Product, ProductDto>> Projection = p => new ProductDto(
        p.Id, p.Code, p.Name, p.Line, p.Unit, p.ListPriceMinor, p.Currency, p.FloorPriceMinor, p.IsActive, p.Description, p.Version,
        DateTime.SpecifyKind(p.CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(p.UpdatedAt, DateTimeKind.Utc));
}

/// <summary>A product's fields, for create and update (the version only for update: field or If-Match).</summary>
public sealed record ProductRequest(
    string Code,
    string Name,
    long ListPriceMinor,
    string? Line = null,
    string? Unit = null,
    string? Currency = null,
    long? FloorPriceMinor = null,
    string? Description = null,
    bool IsActive = true,
    int? Version = null);

/// <summary>The rules for a product's fields, shared by the API, the page's form and the import.</summary>
public sealed class ProductValidator : AbstractValidator<ProductRequest>
{
    /// <summary>Letters, digits and - _ . / (a SKU as catalogues write it), no spaces.</summary>
    public const string CodePattern = @"^[\p{L}\p{N}][\p{L}\p{N}\-_./]*$";

    public ProductValidator()
    {
        RuleFor(x => x.Code).NotEmpty().MaximumLength(50).Matches(CodePattern)
            .WithMessage("'{PropertyName}' may contain only letters, digits and - _ . / (no spaces).").WithErrorCode("ProductCode");
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Line).MaximumLength(100);
        RuleFor(x => x.Unit).MaximumLength(20);
        RuleFor(x => x.ListPriceMinor).GreaterThanOrEqualTo(0);
        RuleFor(x => x.FloorPriceMinor).GreaterThanOrEqualTo(0).LessThanOrEqualTo(x => x.ListPriceMinor)
            .WithMessage("The floor price must be between 0 and the list price.").WithErrorCode("FloorPrice");
        RuleFor(x => x.Currency).Must(c => c is null || Money.KnownCurrencies.Contains(c))
            .WithMessage(x => $"'{x.Currency}' is not a currency this system knows ({string.Join(", ", Money.KnownCurrencies)}).")
            .WithErrorCode("Currency");
        RuleFor(x => x.Description).MaximumLength(2000);
    }

    /// <summary>The key the unique index compares: the trimmed code in upper case.</summary>
    public static string Key(string code) => code.Trim().ToUpperInvariant();
}
