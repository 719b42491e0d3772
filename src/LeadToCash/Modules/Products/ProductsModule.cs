using LeadToCash.Modules.Products.Catalogue;
using LeadToCash.Modules.Products.ExportProducts;
using LeadToCash.Modules.Products.ImportProducts;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Import;

namespace LeadToCash.Modules.Products;

public static class ProductsModule
{
    public static IServiceCollection AddProducts(this IServiceCollection services) => services
        .AddScoped<ProductCatalogueHandler>()
        .AddScoped<ExportProductsHandler>()
        .AddScoped<ProductImporter>()
        .AddScoped<IRecordImporter>(sp => sp.GetRequiredService<ProductImporter>());

    public static void MapProducts(this RouteGroupBuilder api)
    {
        api.MapSpreadsheetImport<ProductImporter>("/products/imports", "Product", Permissions.ProductsManage, "Products", "products");
        var group = api.MapGroup("/products").WithTags("Products");
        group.MapExportProducts();
        group.MapProductCatalogue();
    }
}
