using System.Security.Cryptography;
using System.Text;
using BackupWorkflows.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Auth;

/// <summary>Creates, finds and revokes API keys. Keys are 32 random bytes; only their SHA-256 is stored.</summary>
/// <remarks>A fast hash is enough: a key has 256 bits of entropy, so it cannot be guessed from its hash.</remarks>
public sealed class ApiKeys(ServerDbContext db, TimeProvider time)
{
    /// <summary>Prefix that makes keys recognisable in configuration files and leaks.</summary>
    public const string Prefix = "bwf_";

    /// <summary>SHA-256 of a key, lower-case hex.</summary>
    public static string Hash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A new random key.</summary>
    public static string NewKey() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The key's record, or null when no key matches.</summary>
    public Task<ApiKeyRecord?> FindAsync(string key, CancellationToken ct) =>
        db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == Hash(key), ct);

    /// <summary>Creates a key and returns it in clear (the only time it is seen).</summary>
    /// <exception cref="DbUpdateException">A key with that name exists.</exception>
    public async Task<string> CreateAsync(string name, string role, CancellationToken ct)
    {
        var key = NewKey();
        db.ApiKeys.Add(new ApiKeyRecord { Name = name, Role = role, KeyHash = Hash(key), CreatedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        return key;
    }

    /// <summary>Every key (without secrets), by name.</summary>
    public Task<List<ApiKeyRecord>> ListAsync(CancellationToken ct) =>
        db.ApiKeys.AsNoTracking().OrderBy(k => k.Name).ToListAsync(ct);

    /// <summary>Deletes a key; false when unknown.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken ct) =>
        await db.ApiKeys.Where(k => k.Name == name).ExecuteDeleteAsync(ct) > 0;

}
