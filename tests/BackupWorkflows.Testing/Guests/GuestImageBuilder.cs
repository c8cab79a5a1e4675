using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace BackupWorkflows.Testing.Guests;

/// <summary>What a test guest boots: a kernel and an initramfs, both cached.</summary>
/// <param name="KernelPath">The Debian cloud kernel (vmlinuz).</param>
/// <param name="InitrdPath">The initramfs (cpio newc, gzip) with busybox, qemu-ga and virtio modules.</param>
/// <param name="KernelPackage">The Debian package the kernel came from.</param>
/// <param name="RecipeHash">Hash of everything that went into the initramfs.</param>
/// <param name="BuildDuration">Time taken by this call (near zero when cached).</param>
/// <param name="FromCache">Whether kernel and initramfs were already in the cache.</param>
public sealed record GuestImage(
    string KernelPath, string InitrdPath, string KernelPackage, string RecipeHash, TimeSpan BuildDuration, bool FromCache);

/// <summary>
/// Builds a direct-kernel-boot test guest from Debian packages only, once per recipe, into a
/// cache directory shared by all test runs on the machine (default <c>/var/tmp/bwf-guest-cache</c>,
/// or <c>$BWF_GUEST_CACHE</c>).
/// </summary>
/// <remarks>
/// The kernel is <c>apt-get download</c>ed (the package <c>linux-image-cloud-amd64</c> depends on)
/// and unpacked with <c>dpkg-deb -x</c>. The initramfs holds busybox-static, qemu-ga with the
/// shared libraries <c>ldd</c> lists, the virtio modules in dependency order (from
/// <c>modinfo -F depends</c>, so ext4 and friends follow if they are modular) and
/// <see cref="GuestInit.Script"/>. Every cache entry is built in a private temporary directory and
/// moved into place, so concurrent test processes never see half an entry.
/// </remarks>
public sealed class GuestImageBuilder
{
    /// <summary>Default cache directory.</summary>
    public const string DefaultCacheDirectory = "/var/tmp/bwf-guest-cache";

    /// <summary>Bump to rebuild every cached initramfs.</summary>
    private const string BuilderVersion = "1";

    private static readonly Lazy<Task<GuestImage>> SharedImage = new(() => new GuestImageBuilder().BuildAsync());

    /// <summary>A builder on <paramref name="cacheDirectory"/> (default: <c>$BWF_GUEST_CACHE</c> or <see cref="DefaultCacheDirectory"/>).</summary>
    public GuestImageBuilder(string? cacheDirectory = null)
    {
        CacheDirectory = cacheDirectory ?? Environment.GetEnvironmentVariable("BWF_GUEST_CACHE") ?? DefaultCacheDirectory;
    }

    /// <summary>The cache directory.</summary>
    public string CacheDirectory { get; }

    /// <summary>The image of this test process, built (or found in the cache) once.</summary>
    public static Task<GuestImage> GetSharedAsync() => SharedImage.Value;

    /// <summary>Builds what is missing from the cache and returns the image.</summary>
    public async Task<GuestImage> BuildAsync()
    {
        var watch = Stopwatch.StartNew();
        CreateWorldReadableDirectory(CacheDirectory);
        RemoveAbandonedWorkDirectories();
        var (kernelDir, package, kernelCached) = await EnsureKernelAsync();
        var modules = await ModuleOrder.ResolveAsync(Path.Combine(kernelDir, "modules"), Path.Combine(kernelDir, "config"));
        var recipe = string.Join('\n',
            BuilderVersion, package, GuestInit.Script(modules.Select(m => Path.GetFileNameWithoutExtension(m))), GuestInit.Shutdown,
            string.Join(',', modules.Select(Path.GetFileName)), Fingerprint("/usr/sbin/qemu-ga"), Fingerprint("/bin/busybox"));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recipe)))[..16];
        var initrd = Path.Combine(CacheDirectory, $"initrd-{hash}.gz");
        var initrdCached = File.Exists(initrd);
        if (!initrdCached)
        {
            await BuildInitrdAsync(initrd, modules);
        }

        return new GuestImage(Path.Combine(kernelDir, "vmlinuz"), initrd, package, hash, watch.Elapsed, kernelCached && initrdCached);
    }

    /// <summary>Creates a qcow2 disk holding an empty ext4 file system at <paramref name="path"/>
    /// (copied from a cached template of that size).</summary>
    public async Task CreateExt4DiskAsync(string path, int sizeMiB)
    {
        CreateWorldReadableDirectory(CacheDirectory);
        var template = Path.Combine(CacheDirectory, $"blank-ext4-{sizeMiB}MiB.qcow2");
        if (!File.Exists(template))
        {
            var work = NewWorkDirectory();
            try
            {
                var raw = Path.Combine(work, "disk.raw");
                await using (var file = File.Create(raw))
                {
                    file.SetLength(sizeMiB * 1024L * 1024L);
                }

                await ProcessUtil.RunAsync("mkfs.ext4", "-q", "-F", "-L", "bwf-data", raw);
                await ProcessUtil.RunAsync("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw, Path.Combine(work, "disk.qcow2"));
                MoveIntoPlace(Path.Combine(work, "disk.qcow2"), template);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }

        File.Copy(template, path);
    }

    private async Task<(string Directory, string Package, bool Cached)> EnsureKernelAsync()
    {
        var kernels = Path.Combine(CacheDirectory, "kernels");
        CreateWorldReadableDirectory(kernels);
        // Reuse any kernel already unpacked: test runs stay offline and deterministic once cached.
        var cached = Directory.GetDirectories(kernels).Order(StringComparer.Ordinal).LastOrDefault();
        if (cached is not null)
        {
            return (cached, Path.GetFileName(cached), true);
        }

        var package = await ResolveKernelPackageAsync();
        var work = NewWorkDirectory();
        try
        {
            await ProcessUtil.RunInAsync(work, "apt-get", "download", "-q", package);
            var deb = Directory.GetFiles(work, "*.deb").Single();
            var unpacked = Path.Combine(work, "x");
            await ProcessUtil.RunAsync("dpkg-deb", "-x", deb, unpacked);
            var entry = Path.Combine(work, "entry");
            Directory.CreateDirectory(entry);
            File.Move(Directory.GetFiles(Path.Combine(unpacked, "boot"), "vmlinuz-*").Single(), Path.Combine(entry, "vmlinuz"));
            File.Move(Directory.GetFiles(Path.Combine(unpacked, "boot"), "config-*").Single(), Path.Combine(entry, "config"));
            var modulesRoot = Directory.Exists(Path.Combine(unpacked, "lib", "modules"))
                ? Path.Combine(unpacked, "lib", "modules")
                : Path.Combine(unpacked, "usr", "lib", "modules");
            Directory.Move(Directory.GetDirectories(modulesRoot).Single(), Path.Combine(entry, "modules"));
            await ProcessUtil.RunAsync("chmod", "-R", "a+rX", entry);
            var target = Path.Combine(kernels, package);
            try
            {
                Directory.Move(entry, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another test process unpacked the same kernel first.
            }

            return (target, package, false);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<string> ResolveKernelPackageAsync()
    {
        // The meta package depends on exactly one versioned image: the candidate kernel.
        var depends = await ProcessUtil.RunAsync("apt-cache", "depends", "linux-image-cloud-amd64");
        var package = depends.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("Depends: linux-image-", StringComparison.Ordinal))
            .Select(l => l["Depends: ".Length..].Trim())
            .FirstOrDefault();
        return package ?? throw new InvalidOperationException(
            $"apt-cache found no kernel behind linux-image-cloud-amd64 (run apt-get update): {depends}");
    }

    private async Task BuildInitrdAsync(string target, IReadOnlyList<string> modules)
    {
        var work = NewWorkDirectory();
        try
        {
            var root = Path.Combine(work, "root");
            foreach (var dir in new[] { "bin", "sbin", "proc", "sys", "dev", "run", "tmp", "etc", "var/run", "mnt/vda", "mnt/vdb", "lib/modules" })
            {
                Directory.CreateDirectory(Path.Combine(root, dir));
            }

            File.Copy("/bin/busybox", Path.Combine(root, "bin", "busybox"));
            File.Copy("/usr/sbin/qemu-ga", Path.Combine(root, "sbin", "qemu-ga"));
            foreach (var library in await SharedLibrariesAsync("/usr/sbin/qemu-ga"))
            {
                var copy = Path.Combine(root, library.TrimStart('/'));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                // File.Copy follows symbolic links: the real library lands under the name the loader asks for.
                File.Copy(library, copy, overwrite: true);
            }

            foreach (var module in modules)
            {
                File.Copy(module, Path.Combine(root, "lib", "modules", Path.GetFileName(module)));
            }

            var init = Path.Combine(root, "init");
            await File.WriteAllTextAsync(init, GuestInit.Script(modules.Select(m => Path.GetFileNameWithoutExtension(m))));
            Chmod(init, 0b111_101_101);
            var shutdown = Path.Combine(root, "sbin", "shutdown");
            await File.WriteAllTextAsync(shutdown, GuestInit.Shutdown);
            Chmod(shutdown, 0b111_101_101);
            Chmod(Path.Combine(root, "bin", "busybox"), 0b111_101_101);

            var archive = Path.Combine(work, "initrd.gz");
            await ProcessUtil.RunAsync("sh", "-c", "cd \"$1\" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1 > \"$2\"", "sh", root, archive);
            Chmod(archive, 0b110_100_100);
            MoveIntoPlace(archive, target);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<IReadOnlyList<string>> SharedLibrariesAsync(string program)
    {
        var output = await ProcessUtil.RunAsync("ldd", program);
        // Lines look like "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)".
        return output.Split('\n')
            .Select(l => l.Contains("=>", StringComparison.Ordinal) ? l[(l.IndexOf("=>", StringComparison.Ordinal) + 2)..] : l)
            .Select(l => l.Trim().Split(' ')[0])
            .Where(p => p.StartsWith('/'))
            .Distinct()
            .ToList();
    }

    private static string Fingerprint(string file)
    {
        var info = new FileInfo(file);
        return $"{file}:{info.Length}:{info.LastWriteTimeUtc.Ticks}";
    }

    /// <summary>Deletes work directories of builds killed midway (older than an hour: no live build takes that long).</summary>
    private void RemoveAbandonedWorkDirectories()
    {
        foreach (var work in Directory.GetDirectories(CacheDirectory, "tmp-*"))
        {
            try
            {
                if (Directory.GetLastWriteTimeUtc(work) < DateTime.UtcNow.AddHours(-1))
                {
                    Directory.Delete(work, recursive: true);
                }
            }
            catch (IOException)
            {
                // Another process is removing it too.
            }
        }
    }

    private string NewWorkDirectory()
    {
        var work = Path.Combine(CacheDirectory, $"tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        return work;
    }

    private static void MoveIntoPlace(string source, string target)
    {
        try
        {
            File.Move(source, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another test process built the same entry first; both are equal.
        }
    }

    /// <summary>Sets Unix permission bits (a no-op elsewhere: the fixtures need Linux anyway).</summary>
    internal static void Chmod(string path, int mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)mode);
        }
    }

    /// <summary>Creates a directory readable and traversable by everyone: libvirt's qemu user reads kernel and disks below it.</summary>
    internal static void CreateWorldReadableDirectory(string path)
    {
        Directory.CreateDirectory(path);
        Chmod(path, 0b111_101_101);
    }
}
