using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace BackupWorkflows.Testing;

/// <summary>
/// A real HTTP server on 127.0.0.1 (a free port) that records every request it receives (webhook tests) and answers
/// each with the next status of <see cref="Answers"/>, or 200 once they are used up.
/// </summary>
public sealed class HttpSink : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;

    /// <summary>One received request.</summary>
    /// <param name="Method">HTTP method.</param>
    /// <param name="Path">Path and query.</param>
    /// <param name="Headers">Headers (names as sent).</param>
    /// <param name="Body">Body as text.</param>
    /// <param name="Answered">Status the sink answered.</param>
    public sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, int Answered);

    private HttpSink(HttpListener listener, int port)
    {
        _listener = listener;
        Url = $"http://127.0.0.1:{port}/";
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The sink's base URL, ending in '/'.</summary>
    public string Url { get; }

    /// <summary>Statuses to answer, in order (then 200).</summary>
    public ConcurrentQueue<int> Answers { get; } = new();

    /// <summary>Every request so far, in arrival order.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Starts a sink on a free port.</summary>
    public static HttpSink Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackPort.Free();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new HttpSink(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5) { listener.Close(); } // the port was taken meanwhile
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var reader = new StreamReader(context.Request.InputStream, context.Request.ContentEncoding ?? Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var status = Answers.TryDequeue(out var s) ? s : 200;
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? "",
                StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue(new Received(context.Request.HttpMethod, context.Request.RawUrl ?? "/", headers, body, status));
            context.Response.StatusCode = status;
            var answer = Encoding.UTF8.GetBytes(status < 400 ? "ok" : $"sink answers {status}");
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try { await _loop; }
        catch (ObjectDisposedException) { }
    }
}
