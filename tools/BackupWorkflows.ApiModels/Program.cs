using BackupWorkflows.ApiModels;

// Usage: BackupWorkflows.ApiModels OPENAPI.json OUTPUT.cs (deploy/openapi.sh runs it).
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: BackupWorkflows.ApiModels OPENAPI.json OUTPUT.cs");
    return 2;
}
await File.WriteAllTextAsync(args[1], await CliModels.GenerateAsync(await File.ReadAllTextAsync(args[0])));
Console.WriteLine($"wrote {args[1]}");
return 0;
