using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Studio.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace BackupWorkflows.Studio.Tests.Vms;

/// <summary>A real guest backed up and restored from its page in the studio.</summary>
[Collection(StudioCollection.Name)]
public sealed class BackupRestoreTests(StudioFixture studio)
{
    [Fact]
    public async Task VmPage_AssignBackUpAndRestore_RestoresTheDataAndTheVmRunsAgain()
    {
        var guest = await studio.GuestAsync();
        var vm = guest.Name;
        var server = studio.Server;
        // Host `local` and repository `default` are the server's embedded default; add a repository and an offering.
        var repository = Path.Combine(server.DataDirectory, "e2e-repository");
        await server.PostAsync("/api/repositories", new { name = "e2e-repo", path = repository });
        await server.PostAsync("/api/offerings", new { name = "e2e-offering", chainSize = 3 });
        await guest.WriteFileAsync("/mnt/vda/marker.txt", "before the backup");

        await using var page = await studio.OpenSignedInAsync();
        await page.ById("nav-vms").ClickAsync();
        await page.ById($"vm-{vm}").ClickAsync();
        await Expect(page.ById($"vm-detail-{vm}")).ToBeVisibleAsync();

        await page.ById("assign-open").ClickAsync();
        await page.ById("assign-offering").SelectOptionAsync("e2e-offering");
        await page.ById("assign-repository").SelectOptionAsync("e2e-repo");
        await page.ById("assign-submit").ClickAsync();
        await Expect(page.ById($"vm-detail-{vm}")).ToContainTextAsync("offering e2e-offering");

        await page.ById("backup-now").ClickAsync();
        await Expect(page.ById("action-started")).ToContainTextAsync("Backup started");
        var backupRun = await InstanceOfActionAsync(page);
        var backupEnd = await server.WaitForEndAsync(backupRun, TimeSpan.FromMinutes(2));
        Assert.True(backupEnd["status"]!.GetValue<string>() == "Finished", $"backup: {backupEnd.ToJsonString()}");
        var backup = (await server.GetAsync($"/api/backups?vm={vm}")).AsArray().Single()!;
        var backupId = backup["id"]!.GetValue<string>();
        Assert.Equal("full", backup["type"]!.GetValue<string>());
        Assert.StartsWith(repository, backup["volumes"]![0]!["path"]!.GetValue<string>());

        await guest.WriteFileAsync("/mnt/vda/marker.txt", "after the backup");
        await page.Page.ReloadAsync();
        // The offering shown in the header comes from the VM list: wait for both before the screenshot.
        await Expect(page.ById($"vm-{vm}")).ToBeVisibleAsync();
        await Expect(page.ById($"vm-detail-{vm}")).ToContainTextAsync("offering e2e-offering");
        var timeline = page.ById($"chain-{backup["chainId"]!.GetValue<string>()}");
        await Expect(timeline.GetByTestId($"backup-{backupId}")).ToHaveAttributeAsync("data-state", "BackedUp");
        await Expect(page.ById("chart-size")).ToBeVisibleAsync();
        await page.ScreenshotAsync("vm-detail");

        await page.ById($"restore-{backupId}").ClickAsync();
        await Expect(page.ById("restore-dialog")).ToBeVisibleAsync();
        await page.ById("restore-confirm").ClickAsync();
        await Expect(page.ById("action-started")).ToContainTextAsync("Restore started");
        var restoreRun = await InstanceOfActionAsync(page);
        var restoreEnd = await server.WaitForEndAsync(restoreRun, TimeSpan.FromMinutes(2));
        Assert.True(restoreEnd["status"]!.GetValue<string>() == "Finished", $"restore: {restoreEnd.ToJsonString()}");
        Assert.Equal("restore", restoreEnd["definitionId"]!.GetValue<string>());

        // Restored in place and started again (it was running): the agent answers and the data is the backup's.
        Assert.Equal(DomainState.Running, await guest.Virsh.GetStateAsync(vm));
        await guest.WaitForAgentAsync(TimeSpan.FromMinutes(2));
        Assert.Equal("before the backup", await guest.ReadFileAsync("/mnt/vda/marker.txt"));

        await page.ById("action-instance").ClickAsync();
        await Expect(page.ById("run-status")).ToContainTextAsync("Finished");
        page.AssertNoConsoleErrors();
    }

    /// <summary>The instance id behind the "follow the run" link of the last action.</summary>
    private static async Task<string> InstanceOfActionAsync(StudioPage page)
    {
        var href = await page.ById("action-instance").GetAttributeAsync("href") ?? throw new InvalidOperationException("no link");
        return href[(href.LastIndexOf('/') + 1)..];
    }
}
