using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;

namespace LeadToCash.Tests.Unit;

public sealed class RecordAccessTests
{
    private static readonly Guid Me = Guid.NewGuid();
    private static readonly Guid Someone = Guid.NewGuid();
    private static readonly Guid MyTeam = Guid.NewGuid();
    private static readonly Guid SubTeam = Guid.NewGuid();
    private static readonly Guid OtherTeam = Guid.NewGuid();

    public enum Record
    {
        MineOwned,
        OwnedInMyTeam,
        OwnedInSubTeam,
        OwnedInOtherTeam,
        OwnedByUserWithoutTeam,
        PoolOfMyTeam,
        PoolOfSubTeam,
        PoolOfOtherTeam,
    }

    // role, record, share, expected
    public static TheoryData<string, Record, CollaboratorAccess?, bool> Cases => new()
    {
        { Roles.Admin, Record.OwnedInOtherTeam, null, true },
        { Roles.Admin, Record.PoolOfOtherTeam, null, true },
        { Roles.Rep, Record.MineOwned, null, true },
        { Roles.Rep, Record.OwnedInMyTeam, null, false },
        { Roles.Rep, Record.OwnedInOtherTeam, CollaboratorAccess.Edit, true },
        { Roles.Rep, Record.OwnedInOtherTeam, CollaboratorAccess.Read, false },
        { Roles.Rep, Record.PoolOfMyTeam, null, false },
        { Roles.Manager, Record.OwnedInMyTeam, null, true },
        { Roles.Manager, Record.OwnedInSubTeam, null, true },
        { Roles.Manager, Record.OwnedInOtherTeam, null, false },
        { Roles.Manager, Record.OwnedInOtherTeam, CollaboratorAccess.Read, false },
        { Roles.Manager, Record.OwnedByUserWithoutTeam, null, false },
        { Roles.Manager, Record.PoolOfSubTeam, null, true },
        { Roles.Manager, Record.PoolOfOtherTeam, null, false },
        { Roles.Director, Record.OwnedInSubTeam, null, true },
        { Roles.Director, Record.PoolOfMyTeam, null, true },
        { Roles.Assistant, Record.PoolOfMyTeam, null, true },
        { Roles.Assistant, Record.PoolOfSubTeam, null, true },
        { Roles.Assistant, Record.PoolOfOtherTeam, null, false },
        { Roles.Assistant, Record.OwnedInMyTeam, null, false },
        { Roles.Finance, Record.OwnedInMyTeam, null, false },
        { Roles.Finance, Record.PoolOfMyTeam, null, false },
        { Roles.Finance, Record.OwnedInMyTeam, CollaboratorAccess.Edit, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CanChange_RoleRecordAndShare_AnswersAsTheRulesSay(string role, Record record, CollaboratorAccess? share, bool expected)
    {
        var user = new CurrentUser(Me, "Me", "me@example.test", MyTeam, "My team", new HashSet<string> { role },
            Permissions.ForRoles([role]), new DataScope(Me, false, [], []), [MyTeam, SubTeam]);
        var (customer, ownerTeam) = Make(record);

        var canChange = RecordAccess.CanChange(user, customer, ownerTeam, share);

        Assert.Equal(expected, canChange);
    }

    private static (Customer Customer, Guid? OwnerTeam) Make(Record record) => record switch
    {
        Record.MineOwned => (Owned(Me), MyTeam),
        Record.OwnedInMyTeam => (Owned(Someone), MyTeam),
        Record.OwnedInSubTeam => (Owned(Someone), SubTeam),
        Record.OwnedInOtherTeam => (Owned(Someone), OtherTeam),
        Record.OwnedByUserWithoutTeam => (Owned(Someone), null),
        Record.PoolOfMyTeam => (Pool(MyTeam), null),
        Record.PoolOfSubTeam => (Pool(SubTeam), null),
        Record.PoolOfOtherTeam => (Pool(OtherTeam), null),
        _ => throw new ArgumentOutOfRangeException(nameof(record)),
    };

    private static Customer Owned(Guid owner) => new() { Name = "Owned", OwnerId = owner };

    private static Customer Pool(Guid team) => new() { Name = "Pooled", PoolTeamId = team };
}
