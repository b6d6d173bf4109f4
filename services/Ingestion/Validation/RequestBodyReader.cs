using System.IO.Compression;
using Microsoft.Extensions.Options;

namespace Personalization.Ingestion.Validation;

/// <summary>
/// Reads the raw request body within the configured limits. Gzip is detected from Content-Encoding alone:
/// Rudder's SDK gzips JSON but labels it application/x-www-form-urlencoded, so Content-Type is not trusted.
/// </summary>
public sealed class RequestBodyReader(IOptions<RequestLimits> options)
{
    public async Task<BodyReadResult> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (request.ContentLength > limits.MaxRequestBytes)
            return BodyReadResult.TooLarge($"The request body is larger than {limits.MaxRequestBytes} bytes.");

        var raw = await ReadLimitedAsync(request.Body, request.ContentLength, limits.MaxRequestBytes, cancellationToken);
        if (raw is not { } body)
            return BodyReadResult.TooLarge($"The request body is larger than {limits.MaxRequestBytes} bytes.");

        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        if (encoding.Length == 0 || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            return BodyReadResult.Ok(body);
        if (!encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            return BodyReadResult.Unsupported($"Content-Encoding \"{encoding}\" is not supported; send gzip or nothing.");

        try
        {
            // Inflates straight from the buffer just read, without copying it first.
            await using var gzip = new GZipStream(new MemoryStream(body.Array!, body.Offset, body.Count, writable: false), CompressionMode.Decompress);
            // JSON usually inflates four- to tenfold; a good first guess saves regrowing the buffer.
            var guess = Math.Min(limits.MaxDecompressedBytes, (long)body.Count * 8);
            var inflated = await ReadLimitedAsync(gzip, guess, limits.MaxDecompressedBytes, cancellationToken);
            return inflated is { } json
                ? BodyReadResult.Ok(json)
                : BodyReadResult.TooLarge($"The decompressed body is larger than {limits.MaxDecompressedBytes} bytes.");
        }
        catch (InvalidDataException)
        {
            return BodyReadResult.Malformed("Content-Encoding is gzip but the body is not valid gzip data.");
        }
    }

    /// <summary>
    /// Reads at most <paramref name="limit"/> bytes into one array, sized from <paramref name="expectedLength"/> when
    /// known (Content-Length), so a body is read once with no intermediate copies; null when the stream holds more.
    /// </summary>
    private static async Task<ArraySegment<byte>?> ReadLimitedAsync(Stream stream, long? expectedLength, long limit, CancellationToken cancellationToken)
    {
        // One byte beyond the expected length, so the final read can report the end without a regrow.
        var buffer = new byte[(int)Math.Min(limit + 1, Math.Max(1, expectedLength ?? 16 * 1024) + 1)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit) return null;
                Array.Resize(ref buffer, (int)Math.Min(limit + 1, (long)buffer.Length * 2));
            }
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0) return new ArraySegment<byte>(buffer, 0, length);
            length += read;
            if (length > limit) return null;
        }
    }
}

public sealed record BodyReadResult(ReadOnlyMemory<byte> Body, int StatusCode, string? Error)
{
    public static BodyReadResult Ok(ReadOnlyMemory<byte> body) => new(body, StatusCodes.Status200OK, null);
    public static BodyReadResult TooLarge(string error) => new(default, StatusCodes.Status413PayloadTooLarge, error);
    public static BodyReadResult Unsupported(string error) => new(default, StatusCodes.Status415UnsupportedMediaType, error);
    public static BodyReadResult Malformed(string error) => new(default, StatusCodes.Status400BadRequest, error);
}
