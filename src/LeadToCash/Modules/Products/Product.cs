using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Products;

/// <summary>A product of the price book: what quotes are made of.</summary>
public sealed class Product : BusinessRecord
{
    public const string RecordType = "product";

    /// <summary>Unique code (SKU), compared without case.</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }

    /// <summary>Product line or series (产品线/系列).</summary>
    public string? Line { get; set; }
    public string Unit { get; set; } = "套";
    public long ListPriceMinor { get; set; }
    public string Currency { get; set; } = "CNY";

    /// <summary>The lowest unit price (底价) a quote may carry without approval; null = only the discount rule applies.</summary>
    public long? FloorPriceMinor { get; set; }
    public bool IsActive { get; set; } = true;
    public string? Description { get; set; }

    /// <summary>Upper-case code for the unique index (case-insensitive on both databases).</summary>
    public string CodeKey { get; set; } = "";
    public string? ImportKey { get; set; }
}
