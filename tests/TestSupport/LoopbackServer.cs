using System.Net;

namespace Personalization.TestSupport;

/// <summary>
/// An HTTP server on a free loopback port that hands each request, one at a time, to a handler: for tests that play
/// a remote party the services call (a push service, a telemetry collector).
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();

    /// <param name="handle">Answers one request; the server closes the response after it.</param>
    public LoopbackServer(Func<HttpListenerContext, Task> handle)
    {
        Url = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _ = Task.Run(() => ServeAsync(handle));
    }

    public string Url { get; }

    private async Task ServeAsync(Func<HttpListenerContext, Task> handle)
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (!_listener.IsListening) { return; }
            try
            {
                await handle(context);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    public void Dispose() => _listener.Close();
}
