namespace LeadToCash.Platform.Localization;

/// <summary>Marker for the UI strings in SharedResource.resx (en-US) and SharedResource.zh-CN.resx.</summary>
public sealed class SharedResource;
