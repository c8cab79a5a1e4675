using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BackupWorkflows.Kvm.Hosts;

/// <summary>What a known_hosts file or a pinned fingerprint says about the key a host presented.</summary>
public enum HostKeyVerdict
{
    /// <summary>The key is the host's known (or pinned) key.</summary>
    Trusted,

    /// <summary>Nothing is known about the host.</summary>
    Unknown,

    /// <summary>Other keys are known (or pinned) for the host: the key changed.</summary>
    Changed,

    /// <summary>The key is marked <c>@revoked</c>.</summary>
    Revoked,
}

/// <summary>
/// Reads OpenSSH known_hosts files: plain host patterns (<c>host</c>, <c>[host]:port</c>, <c>*</c>/<c>?</c>
/// wildcards, <c>!</c> negation, comma lists), hashed names (<c>|1|salt|hash</c>, HMAC-SHA1) and the
/// <c>@revoked</c> marker (a revoked key is refused for every host). <c>@cert-authority</c> lines are skipped:
/// host certificates are not supported. Keys are compared byte for byte as their public key blobs.
/// </summary>
public static class KnownHosts
{
    /// <summary>The OpenSSH form of a key's fingerprint: <c>SHA256:</c> and the unpadded base64 of its blob's SHA-256.</summary>
    public static string Fingerprint(ReadOnlySpan<byte> keyBlob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(keyBlob)).TrimEnd('=');

    /// <summary>Checks <paramref name="keyBlob"/> for <paramref name="hostName"/>:<paramref name="port"/> against the file.</summary>
    /// <returns>The verdict and the fingerprints of the keys the file holds for the host (for messages).</returns>
    public static (HostKeyVerdict Verdict, IReadOnlyList<string> KnownFingerprints) Check(
        string file, string hostName, int port, byte[] keyBlob)
    {
        var name = port == 22 ? hostName : $"[{hostName}]:{port.ToString(CultureInfo.InvariantCulture)}";
        var known = new List<string>();
        var trusted = false;
        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var marker = fields[0].StartsWith('@') ? fields[0] : null;
            var at = marker is null ? 0 : 1;
            if (fields.Length < at + 3 || !TryBlob(fields[at + 2], out var blob))
            {
                continue;
            }

            if (marker == "@revoked")
            {
                if (blob.AsSpan().SequenceEqual(keyBlob))
                {
                    return (HostKeyVerdict.Revoked, [Fingerprint(blob)]);
                }

                continue;
            }

            if (marker is not null || !Matches(fields[at], name))
            {
                continue;
            }

            if (blob.AsSpan().SequenceEqual(keyBlob))
            {
                trusted = true;
            }
            else
            {
                known.Add(Fingerprint(blob));
            }
        }

        return trusted ? (HostKeyVerdict.Trusted, known)
            : (known.Count > 0 ? HostKeyVerdict.Changed : HostKeyVerdict.Unknown, known);
    }

    /// <summary>Whether a known_hosts host field (hashed, or a pattern list) names <paramref name="name"/>.</summary>
    internal static bool Matches(string hosts, string name)
    {
        if (hosts.StartsWith("|1|", StringComparison.Ordinal))
        {
            var parts = hosts.Split('|');
            if (parts.Length != 4 || !TryBase64(parts[2], out var salt) || !TryBase64(parts[3], out var hash))
            {
                return false;
            }

            return HMACSHA1.HashData(salt, Encoding.ASCII.GetBytes(name)).AsSpan().SequenceEqual(hash);
        }

        var matched = false;
        foreach (var pattern in hosts.Split(','))
        {
            var negated = pattern.StartsWith('!');
            if (Wildcard(negated ? pattern[1..] : pattern, name))
            {
                if (negated)
                {
                    return false;
                }

                matched = true;
            }
        }

        return matched;
    }

    private static bool Wildcard(string pattern, string name)
    {
        // Case-insensitive like OpenSSH's match_pattern; '*' any run, '?' one character.
        int p = 0, n = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(name[n])))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool TryBlob(string base64, out byte[] blob) => TryBase64(base64, out blob) && blob.Length > 4;

    private static bool TryBase64(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
