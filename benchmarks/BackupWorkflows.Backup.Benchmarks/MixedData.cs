using System.Text;

namespace BackupWorkflows.Backup.Benchmarks;

/// <summary>
/// A reproducible file of "mixed" disk content in 1 MiB chunks: 40 % text (log-like lines), 25 %
/// random (already compressed media), 20 % low-entropy binary (tables of small integers), 15 % zeros
/// (free space). Chunks are interleaved so every cluster size sees the same mix.
/// </summary>
internal static class MixedData
{
    public static void Write(string path, long bytes)
    {
        var random = new Random(4);
        var words = "backup restore chain delta qcow2 cluster guest kernel volume snapshot merge error info debug the of and to in"
            .Split(' ');
        var chunk = new byte[1 << 20];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (long written = 0, i = 0; written < bytes; written += chunk.Length, i++)
        {
            var kind = (i * 7919 % 100) switch { < 40 => 0, < 65 => 1, < 85 => 2, _ => 3 };
            switch (kind)
            {
                case 0:
                    var sb = new StringBuilder(chunk.Length + 200);
                    while (sb.Length < chunk.Length)
                        sb.Append("2026-11-22T06:").Append(random.Next(10, 60)).Append(' ')
                          .Append(words[random.Next(words.Length)]).Append(' ').Append(words[random.Next(words.Length)])
                          .Append(" id=").Append(random.Next(100000)).Append('\n');
                    Encoding.ASCII.GetBytes(sb.ToString(0, chunk.Length), chunk);
                    break;
                case 1: random.NextBytes(chunk); break;
                case 2: for (var j = 0; j < chunk.Length; j++) chunk[j] = (byte)(random.Next(16) * (j % 4 == 0 ? 1 : 0)); break;
                default: Array.Clear(chunk); break;
            }
            file.Write(chunk, 0, (int)Math.Min(chunk.Length, bytes - written));
        }
    }
}
