using MudBlazor;

namespace LeadToCash.Components.Layout;

public static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fa8",
            Secondary = "#d9480f",
            AppbarBackground = "#1f5fa8",
            Background = "#f5f7fa",
            DrawerBackground = "#ffffff",
            TextPrimary = "#1d2733",
            TextSecondary = "#4a5a6a",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["\"PingFang SC\"", "\"Microsoft YaHei\"", "\"Noto Sans CJK SC\"", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
                FontSize = "0.875rem",
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
