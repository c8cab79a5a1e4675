using BackupWorkflows.Backup.Repositories;

namespace BackupWorkflows.Backup.Snapshots;

/// <summary>The next change that tidies one disk's images, or none.</summary>
/// <param name="Delete">An overlay nothing needs any more: delete it.</param>
/// <param name="MergeChild">Commit this image into <paramref name="Into"/> (its backing file), which
/// nothing else needs unchanged.</param>
/// <param name="Into">The image <paramref name="MergeChild"/> is committed into.</param>
public sealed record TreeStep(string? Delete, string? MergeChild, string? Into)
{
    /// <summary>Nothing left to do.</summary>
    public static readonly TreeStep None = new(null, null, null);
}

/// <summary>
/// One disk's images on primary as a tree (reverts give an image several children): which files a
/// snapshot or the running disk still needs, and what can be deleted or merged. Pure logic: the
/// images and their backing files come in as arguments.
/// </summary>
/// <remarks>
/// An image is needed when it lies in the running disk's chain or in the chain of a Ready
/// snapshot's image. A Ready snapshot's image never changes; a Removed snapshot's image is merged
/// with its one remaining child once nothing else needs it (other children gone, no Ready
/// snapshot froze it). Only overlays this product made are ever deleted or merged away.
/// </remarks>
public sealed class SnapshotTree(string active, IReadOnlyDictionary<string, string?> backingOf,
    IReadOnlyCollection<string> readyImages, IReadOnlyCollection<string> removedImages)
{
    /// <summary>The running disk's chain, its active image first.</summary>
    public List<string> RunningChain()
    {
        var chain = new List<string>();
        for (string? f = active; f is not null && !chain.Contains(f);) { chain.Add(f); f = backingOf.GetValueOrDefault(f); }
        return chain;
    }

    /// <summary>The images the running disk or a Ready snapshot needs.</summary>
    public HashSet<string> Needed()
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var top in readyImages.Append(active))
            for (var f = top; f is not null && needed.Add(f);) f = backingOf.GetValueOrDefault(f);
        return needed;
    }

    /// <summary>The needed images whose backing file is <paramref name="image"/>.</summary>
    public List<string> ChildrenOf(string image)
    {
        var needed = Needed();
        return [.. backingOf.Where(p => p.Value == image && needed.Contains(p.Key)).Select(p => p.Key).Order(StringComparer.Ordinal)];
    }

    /// <summary>The next step: delete an unneeded overlay first, then merge a Removed snapshot's image with its one child.</summary>
    public TreeStep Next()
    {
        var needed = Needed();
        var unneeded = backingOf.Keys.Where(f => !needed.Contains(f) && RepositoryLayout.IsOwnOverlay(f)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (unneeded is not null) return new TreeStep(unneeded, null, null);
        foreach (var image in removedImages.Where(i => needed.Contains(i) && !readyImages.Contains(i)).Order(StringComparer.Ordinal))
        {
            var children = ChildrenOf(image);
            if (children.Count == 1 && RepositoryLayout.IsOwnOverlay(children[0])) return new TreeStep(null, children[0], image);
        }
        return TreeStep.None;
    }

    /// <summary>Whether a Removed snapshot with this image no longer holds anything apart: its image is
    /// gone, is the running image, or is also a Ready snapshot's image (the same state).</summary>
    public bool IsMergedAway(string image) =>
        !Needed().Contains(image) || image == active || readyImages.Contains(image) || ChildrenOf(image).Count == 0;
}
