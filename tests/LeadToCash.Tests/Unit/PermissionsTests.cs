using LeadToCash.Platform.Auth;

namespace LeadToCash.Tests.Unit;

public sealed class PermissionsTests
{
    [Fact]
    public void ForRoles_Finance_CanReadAndExportButNotChangeCustomers()
    {
        var finance = Permissions.ForRoles([Roles.Finance]);

        Assert.Contains(Permissions.CustomersRead, finance);
        Assert.Contains(Permissions.CustomersExport, finance);
        Assert.DoesNotContain(Permissions.CustomersEdit, finance);
        Assert.DoesNotContain(Permissions.CustomersCreate, finance);
        Assert.DoesNotContain(Permissions.CustomersDelete, finance);
    }

    [Fact]
    public void ByRole_EveryRole_GrantsOnlyKnownPermissions()
    {
        Assert.Equal(Roles.All.Order(), Permissions.ByRole.Keys.Order());
        foreach (var (role, granted) in Permissions.ByRole)
        {
            var unknown = granted.Except(Permissions.All).ToList();
            Assert.True(unknown.Count == 0, $"{role} grants permissions missing from Permissions.All: {string.Join(", ", unknown)}");
        }
    }

    [Fact]
    public void All_Constants_AreListedOnceEach()
    {
        var constants = typeof(Permissions).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(constants.Order(), Permissions.All.Order());
        Assert.Equal(Permissions.All.Count, Permissions.All.Distinct().Count());
    }

    [Fact]
    public void ForRoles_Admin_HasEveryPermission()
    {
        Assert.Equal(Permissions.All.Order(), Permissions.ForRoles([Roles.Admin]).Order());
    }

    [Fact]
    public void ForRoles_OnlyAdminsManageUsersErasePersonalDataAndRestore()
    {
        foreach (var role in Roles.All.Where(r => r != Roles.Admin))
        {
            var granted = Permissions.ForRoles([role]);
            Assert.DoesNotContain(Permissions.UsersManage, granted);
            Assert.DoesNotContain(Permissions.PersonalDataErase, granted);
            Assert.DoesNotContain(Permissions.RecycleBinManage, granted);
        }
    }

    [Fact]
    public void ForRoles_SeveralRoles_GrantsTheUnion()
    {
        var both = Permissions.ForRoles([Roles.Rep, Roles.Manager]);

        Assert.Equal(Permissions.ByRole[Roles.Rep].Union(Permissions.ByRole[Roles.Manager]).Order(), both.Order());
    }

    [Fact]
    public void ForRoles_UnknownOrNoRole_GrantsNothing()
    {
        Assert.Empty(Permissions.ForRoles(["Superuser"]));
        Assert.Empty(Permissions.ForRoles([]));
    }

    [Fact]
    public void ForRoles_Rep_CannotDeleteCustomers()
    {
        Assert.DoesNotContain(Permissions.CustomersDelete, Permissions.ForRoles([Roles.Rep]));
    }
}
