using Microsoft.Extensions.FileProviders;

namespace BackupWorkflows.Server.Studio;

/// <summary>Serves the studio's built files at <c>/</c> with a fallback to index.html for client-side routes.</summary>
public static class StudioFiles
{
    /// <summary>Maps the studio, or a page saying how to build it when <c>studio/dist</c> is missing.</summary>
    public static WebApplication MapStudio(this WebApplication app, string? distDirectory)
    {
        if (distDirectory is not null && File.Exists(Path.Combine(distDirectory, "index.html")))
        {
            var files = new PhysicalFileProvider(distDirectory);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
            app.MapFallbackToFile("index.html", new StaticFileOptions { FileProvider = files });
            return app;
        }

        app.MapGet("/", () => Results.Content($"""
            <!doctype html><html><head><title>BackupWorkflows</title></head><body>
            <h1>BackupWorkflows server is running</h1>
            <p>The studio is not built{(distDirectory is null ? "" : $" (looked in {System.Net.WebUtility.HtmlEncode(distDirectory)})")}.
            Build it with <code>cd studio &amp;&amp; npm ci &amp;&amp; npm run build</code> and restart the server.</p>
            <p>The REST API is at <a href="/api/health">/api/health</a>; its OpenAPI document at
            <a href="/openapi/v1.json">/openapi/v1.json</a>.</p></body></html>
            """, "text/html")).ExcludeFromDescription();
        return app;
    }
}
