using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Personalization.TestSupport;

namespace Personalization.EndToEnd.Tests;

/// <summary>One span as the services exported it.</summary>
public sealed record ReceivedSpan(string Service, string Scope, string Name, string TraceId, string SpanId, string? ParentSpanId);

/// <summary>
/// An OTLP/HTTP endpoint the services export to (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, protocol http/protobuf): keeps
/// the spans of <c>/v1/traces</c> and the names of the metrics of <c>/v1/metrics</c> by service, and takes logs without
/// reading them. Requests are read field by field (ExportTraceServiceRequest → ResourceSpans → ScopeSpans → Span, and
/// likewise ResourceMetrics → ScopeMetrics → Metric), so no generated OTLP classes are needed.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly LoopbackServer _server;

    public OtlpReceiver() => _server = new LoopbackServer(AnswerAsync);

    public string Url => _server.Url;

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    public IReadOnlyList<ReceivedSpan> Trace(string traceId) => Spans.Where(s => s.TraceId == traceId).ToList();

    /// <summary>(service, metric name) of every metric exported so far.</summary>
    public ConcurrentDictionary<(string Service, string Metric), bool> Metrics { get; } = new();

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        if (context.Request.Url!.AbsolutePath == "/v1/traces")
            foreach (var span in ReadTraces(body.ToArray()))
                Spans.Enqueue(span);
        else if (context.Request.Url.AbsolutePath == "/v1/metrics")
            foreach (var metric in ReadMetricNames(body.ToArray()))
                Metrics.TryAdd(metric, true);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-protobuf";
    }

    private static IEnumerable<ReceivedSpan> ReadTraces(byte[] request) => ByScope(request, (service, scope, span) => Span(service, scope, span));

    private static IEnumerable<(string, string)> ReadMetricNames(byte[] request) => ByScope(request, (service, _, metric) => (service, Text(metric, 1) ?? ""));

    /// <summary>
    /// The items of an export request with their service and scope: traces and metrics share the shape (resource = 1
    /// and scope groups = 2 in each resource group; scope = 1 and items = 2 in each scope group).
    /// </summary>
    private static IEnumerable<T> ByScope<T>(byte[] request, Func<string, string, byte[], T> read) =>
        Fields(request).Where(f => f.Number == 1).SelectMany(resourceGroup =>
        {
            var fields = Fields(resourceGroup.Bytes).ToList();
            var service = fields.Where(f => f.Number == 1).SelectMany(r => Attributes(r.Bytes))
                .FirstOrDefault(a => a.Key == "service.name").Value ?? "";
            return fields.Where(f => f.Number == 2).SelectMany(scopeGroup =>
            {
                var scopeFields = Fields(scopeGroup.Bytes).ToList();
                var scope = scopeFields.Where(f => f.Number == 1).Select(s => Text(s.Bytes, 1)).FirstOrDefault() ?? "";
                return scopeFields.Where(f => f.Number == 2).Select(item => read(service, scope, item.Bytes));
            });
        });

    private static ReceivedSpan Span(string service, string scope, byte[] span)
    {
        var fields = Fields(span).ToList();
        string? Hex(int number) => fields.Where(f => f.Number == number && f.Bytes.Length > 0).Select(f => Convert.ToHexStringLower(f.Bytes)).FirstOrDefault();
        return new ReceivedSpan(service, scope, Text(span, 5) ?? "", Hex(1)!, Hex(2)!, Hex(4));
    }

    /// <summary>A resource's attributes with string values (KeyValue: key = 1, value = 2 → AnyValue.string_value = 1).</summary>
    private static IEnumerable<KeyValuePair<string, string?>> Attributes(byte[] resource) =>
        Fields(resource).Where(f => f.Number == 1).Select(kv => new KeyValuePair<string, string?>(
            Text(kv.Bytes, 1) ?? "", Fields(kv.Bytes).Where(f => f.Number == 2).Select(v => Text(v.Bytes, 1)).FirstOrDefault()));

    private static string? Text(byte[] message, int number) =>
        Fields(message).Where(f => f.Number == number).Select(f => System.Text.Encoding.UTF8.GetString(f.Bytes)).FirstOrDefault();

    /// <summary>The length-delimited fields of a message (the others skipped).</summary>
    private static IEnumerable<(int Number, byte[] Bytes)> Fields(byte[] message)
    {
        var fields = new List<(int, byte[])>();
        var input = new CodedInputStream(message);
        while (input.ReadTag() is var tag and not 0)
        {
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                fields.Add((WireFormat.GetTagFieldNumber(tag), input.ReadBytes().ToByteArray()));
            else
                input.SkipLastField();
        }
        return fields;
    }

    public void Dispose() => _server.Dispose();
}
