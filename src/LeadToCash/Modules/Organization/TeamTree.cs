namespace LeadToCash.Modules.Organization;

/// <summary>Pure rules over the organisation tree; the whole tree is small and loaded at once.</summary>
public sealed class TeamTree
{
    private readonly Dictionary<Guid, TeamNode> _byId;
    private readonly ILookup<Guid?, TeamNode> _children;

    public TeamTree(IEnumerable<TeamNode> teams)
    {
        _byId = teams.ToDictionary(t => t.Id);
        _children = _byId.Values.ToLookup(t => t.ParentId);
    }

    public IReadOnlyCollection<TeamNode> Teams => _byId.Values;

    public TeamNode? Find(Guid id) => _byId.GetValueOrDefault(id);

    /// <summary>The team and every team below it.</summary>
    public IReadOnlyList<Guid> SubtreeOf(Guid teamId)
    {
        var result = new List<Guid>();
        if (!_byId.ContainsKey(teamId))
        {
            return result;
        }

        var pending = new Stack<Guid>([teamId]);
        while (pending.Count > 0)
        {
            var id = pending.Pop();
            if (result.Contains(id))
            {
                continue; // a cycle would be a data error; never loop on it
            }

            result.Add(id);
            foreach (var child in _children[id])
            {
                pending.Push(child.Id);
            }
        }

        return result;
    }

    /// <summary>The team and every team above it, nearest first.</summary>
    public IReadOnlyList<Guid> PathToRoot(Guid teamId)
    {
        var result = new List<Guid>();
        for (var node = Find(teamId); node is not null && !result.Contains(node.Id); node = node.ParentId is { } p ? Find(p) : null)
        {
            result.Add(node.Id);
        }

        return result;
    }

    /// <summary>
    /// A person's manager: the head of their team, or of the nearest team above when they head their own team.
    /// </summary>
    public Guid? ManagerOf(Guid userId, Guid? teamId)
    {
        if (teamId is null)
        {
            return null;
        }

        foreach (var id in PathToRoot(teamId.Value))
        {
            var head = _byId[id].HeadUserId;
            if (head is not null && head != userId)
            {
                return head;
            }
        }

        return null;
    }

    /// <summary>Would moving <paramref name="teamId"/> under <paramref name="newParentId"/> make a cycle?</summary>
    public bool WouldCycle(Guid teamId, Guid? newParentId) =>
        newParentId is { } parent && SubtreeOf(teamId).Contains(parent);
}

public sealed record TeamNode(Guid Id, string Name, Guid? ParentId, Guid? HeadUserId, TeamKind Kind);
