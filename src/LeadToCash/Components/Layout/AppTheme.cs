using MudBlazor;

namespace LeadToCash.Components.Layout;

public static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fa8",
            // Darker than MudBlazor's defaults so that white text on them and their text on white pass WCAG AA (4.5:1).
            Secondary = "#b93c0c",
            Success = "#1e7b34",
            Warning = "#a15c00",
            Info = "#0b6aa2",
            Error = "#c62828",
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
