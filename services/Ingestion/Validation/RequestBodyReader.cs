using System.IO.Compression;
using Microsoft.Extensions.Options;

namespace Personalization.Ingestion.Validation;

/// <summary>
/// Reads the raw request body within the configured limits. Gzip is detected from Content-Encoding alone:
/// Rudder's SDK gzips JSON but labels it application/x-www-form-urlencoded, so Content-Type is not trusted.
/// </summary>
public sealed class RequestBodyReader(IOptions<IngestionOptions> options)
{
    public async Task<BodyReadResult> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (request.ContentLength > limits.MaxRequestBytes)
            return BodyReadResult.TooLarge($"The request body is larger than {limits.MaxRequestBytes} bytes.");

        var raw = await ReadLimitedAsync(request.Body, limits.MaxRequestBytes, cancellationToken);
        if (raw is null)
            return BodyReadResult.TooLarge($"The request body is larger than {limits.MaxRequestBytes} bytes.");

        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        if (encoding.Length == 0 || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            return BodyReadResult.Ok(raw.Value);
        if (!encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            return BodyReadResult.Unsupported($"Content-Encoding \"{encoding}\" is not supported; send gzip or nothing.");

        try
        {
            await using var gzip = new GZipStream(new MemoryStream(raw.Value.ToArray()), CompressionMode.Decompress);
            var inflated = await ReadLimitedAsync(gzip, limits.MaxDecompressedBytes, cancellationToken);
            return inflated is null
                ? BodyReadResult.TooLarge($"The decompressed body is larger than {limits.MaxDecompressedBytes} bytes.")
                : BodyReadResult.Ok(inflated.Value);
        }
        catch (InvalidDataException)
        {
            return BodyReadResult.Malformed("Content-Encoding is gzip but the body is not valid gzip data.");
        }
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the stream holds more.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadLimitedAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}

public sealed record BodyReadResult(ReadOnlyMemory<byte> Body, int StatusCode, string? Error)
{
    public static BodyReadResult Ok(ReadOnlyMemory<byte> body) => new(body, StatusCodes.Status200OK, null);
    public static BodyReadResult TooLarge(string error) => new(default, StatusCodes.Status413PayloadTooLarge, error);
    public static BodyReadResult Unsupported(string error) => new(default, StatusCodes.Status415UnsupportedMediaType, error);
    public static BodyReadResult Malformed(string error) => new(default, StatusCodes.Status400BadRequest, error);
}
