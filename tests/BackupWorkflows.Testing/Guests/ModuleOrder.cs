namespace BackupWorkflows.Testing.Guests;

/// <summary>Finds the kernel modules the test guest needs and orders them so each loads after its dependencies.</summary>
internal static class ModuleOrder
{
    /// <summary>What the guest needs for virtio disks and the agent's virtio-serial port.</summary>
    public static readonly string[] Wanted =
        ["virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci", "virtio_blk", "virtio_console"];

    /// <summary>Module files (<c>.ko</c>) in load order: <see cref="Wanted"/>, plus ext4 when the kernel
    /// builds it as a module, plus every dependency and pre-soft-dependency (<c>modinfo</c>).</summary>
    public static async Task<IReadOnlyList<string>> ResolveAsync(string modulesDirectory, string kernelConfig)
    {
        var files = Directory.EnumerateFiles(modulesDirectory, "*.ko", SearchOption.AllDirectories)
            .GroupBy(f => Normalize(Path.GetFileNameWithoutExtension(f)))
            .ToDictionary(g => g.Key, g => g.First());
        var wanted = Wanted.ToList();
        var config = await File.ReadAllLinesAsync(kernelConfig);
        if (config.Contains("CONFIG_EXT4_FS=m"))
        {
            wanted.Add("ext4");
        }

        var ordered = new List<string>();
        var seen = new HashSet<string>();
        foreach (var name in wanted)
        {
            await VisitAsync(name, required: true);
        }

        return ordered;

        async Task VisitAsync(string name, bool required)
        {
            name = Normalize(name);
            if (!seen.Add(name))
            {
                return;
            }

            if (!files.TryGetValue(name, out var file))
            {
                // Not a module file: either built into the kernel (fine for dependencies) or missing.
                if (required && !config.Contains($"CONFIG_{name.ToUpperInvariant()}=y"))
                {
                    throw new InvalidOperationException($"Kernel module '{name}' not found under {modulesDirectory}.");
                }

                return;
            }

            foreach (var dependency in await ModinfoAsync(file, "depends", ','))
            {
                await VisitAsync(dependency, required: true);
            }

            // "softdep" reads "pre: crc32c post: x"; load the "pre" ones first when present as modules.
            var soft = await ModinfoAsync(file, "softdep", ' ');
            foreach (var pre in soft.SkipWhile(w => w != "pre:").Skip(1).TakeWhile(w => !w.EndsWith(':')))
            {
                await VisitAsync(pre, required: false);
            }

            ordered.Add(file);
        }
    }

    private static async Task<string[]> ModinfoAsync(string file, string field, char separator) =>
        (await ProcessUtil.RunAsync("modinfo", "-F", field, file))
        .Split([separator, '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Normalize(string name) => name.Replace('-', '_');
}
