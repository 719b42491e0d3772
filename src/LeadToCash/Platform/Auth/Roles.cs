namespace LeadToCash.Platform.Auth;

public static class Roles
{
    public const string Admin = "Admin";
    public const string Director = "Director";
    public const string Manager = "Manager";
    public const string Rep = "Rep";
    public const string Assistant = "Assistant";
    public const string Finance = "Finance";

    public static readonly IReadOnlyList<string> All = [Admin, Director, Manager, Rep, Assistant, Finance];
}
