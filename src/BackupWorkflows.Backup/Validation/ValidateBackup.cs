using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.Validation;

/// <summary>
/// Validates a backup at the requested levels (image and chain, checksums, boot test), records
/// each level's result and the overall one on the backup, and, when it is Invalid, ends the VM's
/// current chain so the next backup is full. One validation runs per host at a time.
/// </summary>
[Activity("Backup.Validate", Category = "Backup", DisplayName = "Validate backup",
    Description = "Image/chain check, checksums and a boot test; Valid, Invalid or UnableToValidate.")]
[Outcomes("Valid", "Invalid", "UnableToValidate")]
[Retry(MaxAttempts = 1)]
public sealed class ValidateBackup(BackupContextLoader loader, BackupCatalog catalog, VmAssignments assignments,
    BackupDbContext db, BootTest bootTest, TimeProvider time) : Activity
{
    [Input(Description = "Id of the backup to validate.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "Comma list of image, checksums, boot; empty = all three.")]
    public string? Levels { get; set; }

    [Input(Description = "Command the boot test runs in the guest (sh -c).", Default = "true")]
    public string Command { get; set; } = "true";

    [Input(Description = "Text the command's output must contain; empty = exit 0 is enough.")]
    public string? ExpectedOutput { get; set; }

    [Input(Description = "End the VM's current chain when the backup is Invalid.", Default = true)]
    public bool EndChainOnFailure { get; set; } = true;

    [Output(Description = "Valid, Invalid or UnableToValidate.")]
    public string Result { get; set; } = "";

    [Output(Description = "Each level's result and detail.")]
    public List<string> Details { get; set; } = [];

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var levels = ValidationLevels.Parse(Levels);
        var work = await loader.LoadAsync(BackupId, ct);
        var backup = work.Backup;
        if (backup.State != BackupState.BackedUp)
            throw new BackupInputException($"backup {backup.Id} is {backup.State}; only BackedUp backups are validated");
        await context.AcquireLockAsync(JobWorkflows.HostLock(JobType.Validation, work.HostRecord.Name));

        var outcomes = new List<(string Level, LevelOutcome Outcome)>();
        var chain = await ChainAsync(backup, ct);
        bool reachable;
        try { reachable = await work.Host.Files.ExistsAsync(work.Repository.Path, ct); }
        catch (HostCommandException e) { context.Journal($"host unreachable: {e.Message.Split('\n')[0]}"); reachable = false; }
        foreach (var level in levels)
        {
            LevelOutcome outcome;
            if (!reachable) outcome = LevelOutcome.Unable($"repository {work.Repository.Path} is not reachable from host '{work.HostRecord.Name}'");
            else
            {
                try
                {
                    outcome = level switch
                    {
                        ValidationLevels.Image => await ImageChainCheck.RunAsync(work, chain, ct),
                        ValidationLevels.Checksums => await ChecksumCheck.RunAsync(work, chain, ct),
                        _ => await bootTest.RunAsync(work, new BootCheck(Command, ExpectedOutput), context.Journal, ct),
                    };
                }
                catch (HostCommandException e) { outcome = LevelOutcome.Unable($"{level}: {e.Message.Split('\n')[0]}"); }
            }
            outcomes.Add((level, outcome));
            context.Journal($"{level}: {outcome.Result} — {outcome.Detail}");
            // Later levels cannot pass once an earlier one found the backup broken.
            if (outcome.Result == ValidationResult.Invalid) break;
        }

        var overall = outcomes.Any(o => o.Outcome.Result == ValidationResult.Invalid) ? ValidationResult.Invalid
            : outcomes.Any(o => o.Outcome.Result == ValidationResult.UnableToValidate) ? ValidationResult.UnableToValidate
            : ValidationResult.Valid;
        var now = time.GetUtcNow();
        foreach (var (level, o) in outcomes)
            db.Validations.Add(new ValidationRecord
            {
                Id = Guid.NewGuid(), BackupId = backup.Id, Level = level, Result = o.Result, Detail = o.Detail,
                Screenshot = o.Screenshot, InstanceId = context.InstanceId, At = now,
            });
        await db.SaveChangesAsync(ct);
        backup.ValidationResult = overall.ToString();
        backup.ValidatedAt = now;
        await catalog.SaveAsync(ct);
        if (overall == ValidationResult.Invalid && EndChainOnFailure) await EndChainAsync(context, backup, outcomes, ct);

        Result = overall.ToString();
        Details = [.. outcomes.Select(o => $"{o.Level}: {o.Outcome.Result} — {o.Outcome.Detail}")];
        return ActivityResult.Outcome(Result);
    }

    /// <summary>The backup and its ancestors, the backup first.</summary>
    private async Task<List<BackupRecord>> ChainAsync(BackupRecord backup, CancellationToken ct)
    {
        var chain = new List<BackupRecord> { backup };
        for (var b = backup; b.ParentId is { } pid;)
        {
            b = await catalog.GetAsync(pid, ct);
            chain.Add(b);
        }
        return chain;
    }

    private async Task EndChainAsync(ActivityContext context, BackupRecord backup, List<(string Level, LevelOutcome Outcome)> outcomes, CancellationToken ct)
    {
        var latest = await catalog.LatestInChainAsync(backup.HostName, backup.VmName, ct);
        if (latest?.ChainId is null || latest.ChainId != backup.ChainId) return; // an older chain: the current one is unaffected
        var assignment = await assignments.FindAssignmentAsync(backup.HostName, backup.VmName, ct);
        if (assignment is null) return;
        var failed = outcomes.First(o => o.Outcome.Result == ValidationResult.Invalid);
        assignment.ChainEndedReason = $"validation of backup {backup.Id} failed ({failed.Level}: {failed.Outcome.Detail})";
        await assignments.SaveAsync(ct);
        context.Journal("the current chain is ended: the next backup is full");
    }
}
