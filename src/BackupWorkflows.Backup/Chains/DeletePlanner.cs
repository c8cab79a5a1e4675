using BackupWorkflows.Backup.Model;

namespace BackupWorkflows.Backup.Chains;

/// <summary>Chain-safe deletes: nothing a child depends on is removed from disk.</summary>
public static class DeletePlanner
{
    /// <summary>Plans the delete of <paramref name="target"/> among all backups of its VM.</summary>
    /// <exception cref="InvalidOperationException">The backup is already expunged or still being created.</exception>
    public static DeletePlan Plan(BackupRecord target, IReadOnlyCollection<BackupRecord> backupsOfVm)
    {
        if (target.State is BackupState.Expunged)
            throw new InvalidOperationException($"backup {target.Id} is already deleted");
        if (target.State is BackupState.Creating)
            throw new InvalidOperationException($"backup {target.Id} is still being created");

        var alive = backupsOfVm.Where(b => b.State is not BackupState.Expunged).ToList();
        bool HasLiveChildren(Guid id, ISet<Guid> going) =>
            alive.Any(b => b.ParentId == id && !going.Contains(b.Id));

        var newestOfLiveChain = alive
            .Where(b => b.ChainId is not null && b.State == BackupState.BackedUp)
            .OrderByDescending(b => b.CreatedAt).FirstOrDefault();
        var merge = newestOfLiveChain?.Id == target.Id;

        var going = new HashSet<Guid>();
        if (HasLiveChildren(target.Id, going))
            return new DeletePlan([target.Id], [], merge);

        var expunge = new List<Guid> { target.Id };
        going.Add(target.Id);
        // Walk up: a Removed parent whose last child goes now can go too.
        var parentId = target.ParentId;
        while (parentId is { } pid)
        {
            var parent = alive.FirstOrDefault(b => b.Id == pid);
            if (parent is null || parent.State != BackupState.Removed || HasLiveChildren(pid, going)) break;
            expunge.Add(pid);
            going.Add(pid);
            parentId = parent.ParentId;
        }
        return new DeletePlan([], expunge, merge);
    }
}
