using System.Net;
using System.Text;
using BackupWorkflows.Server.Tests.Fixtures;

namespace BackupWorkflows.Server.Tests.Api;

public sealed class ErrorsTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task MalformedJson_Is400ProblemWithoutStackTrace()
    {
        var response = await server.Admin().PostAsync("/api/hosts", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OversizedBody_Is413()
    {
        var big = "{\"name\":\"" + new string('a', 300 * 1024) + "\"}";
        var response = await server.Admin().PostAsync("/api/hosts", new StringContent(big, Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task UnknownApiRoute_Is404Problem()
    {
        await (await server.Admin().GetAsync("/api/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OpenApiDocument_IsServed_AndNamesTheEndpoints()
    {
        var doc = await (await server.ClientWith(null).GetAsync("/openapi/v1.json")).OkJsonAsync();
        var text = doc.ToJsonString();
        foreach (var operation in new[] { "ListHosts", "StartRestore", "CreateSchedule", "StreamEvents", "ImportWorkflow", "CreateKey" })
            Assert.Contains($"\"operationId\":\"{operation}\"", text);
    }

    [Fact]
    public async Task Root_WithoutStudioBuild_SaysHowToBuildIt()
    {
        var html = await server.ClientWith(null).GetStringAsync("/");
        Assert.Contains("npm run build", html);
    }
}
