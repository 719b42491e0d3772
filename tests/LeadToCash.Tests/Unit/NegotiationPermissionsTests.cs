using LeadToCash.Platform.Auth;

namespace LeadToCash.Tests.Unit;

public sealed class NegotiationPermissionsTests
{
    [Fact]
    public void ForRoles_PlaybookManage_OnlyManagersDirectorsAndAdmin()
    {
        var managing = Roles.All.Where(r => Permissions.ForRoles([r]).Contains(Permissions.PlaybookManage)).Order();

        Assert.Equal(new[] { Roles.Admin, Roles.Director, Roles.Manager }.Order(), managing);
    }

    [Fact]
    public void ForRoles_EveryRole_ReadsMinutesAndPlaybook_OnlySellersWriteMinutes()
    {
        foreach (var role in Roles.All)
        {
            var granted = Permissions.ForRoles([role]);
            Assert.Contains(Permissions.NegotiationsRead, granted);
            Assert.Contains(Permissions.PlaybookRead, granted);
            Assert.Equal(role is not (Roles.Assistant or Roles.Finance), granted.Contains(Permissions.NegotiationsEdit));
        }
    }
}
