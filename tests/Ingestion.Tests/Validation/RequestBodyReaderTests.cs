using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Personalization.Ingestion.Validation;

namespace Personalization.Ingestion.Tests.Validation;

public class RequestBodyReaderTests
{
    private static readonly RequestBodyReader Reader = new(Options.Create(new RequestLimits { MaxRequestBytes = 4_096, MaxDecompressedBytes = 16_384 }));

    private static HttpRequest Request(byte[] body, string? contentEncoding = null, bool sendLength = true)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(body);
        if (sendLength) context.Request.ContentLength = body.Length;
        if (contentEncoding is not null) context.Request.Headers.ContentEncoding = contentEncoding;
        context.Request.ContentType = "application/x-www-form-urlencoded";
        return context.Request;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(data);
        return output.ToArray();
    }

    [Test]
    public async Task Gzip_body_is_inflated_whatever_the_content_type()
    {
        var json = Encoding.UTF8.GetBytes("""{"batch":[]}""");

        var result = await Reader.ReadAsync(Request(Gzip(json), "gzip"), CancellationToken.None);

        Assert.That(result.Error, Is.Null);
        Assert.That(result.Body.ToArray(), Is.EqualTo(json));
    }

    [Test]
    public async Task Plain_body_is_returned_as_sent_even_without_a_content_length()
    {
        var json = Encoding.UTF8.GetBytes("""{"a":1}""");

        var result = await Reader.ReadAsync(Request(json, sendLength: false), CancellationToken.None);

        Assert.That(result.Body.ToArray(), Is.EqualTo(json));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Body_over_the_limit_is_413(bool sendLength)
    {
        var result = await Reader.ReadAsync(Request(new byte[5_000], sendLength: sendLength), CancellationToken.None);

        Assert.That(result.StatusCode, Is.EqualTo(413));
    }

    [Test]
    public async Task Gzip_bomb_is_stopped_at_the_decompressed_limit()
    {
        var bomb = Gzip(new byte[100_000]);
        Assert.That(bomb.Length, Is.LessThan(4_096), "the compressed body itself fits the wire limit");

        var result = await Reader.ReadAsync(Request(bomb, "gzip"), CancellationToken.None);

        Assert.That(result.StatusCode, Is.EqualTo(413));
        Assert.That(result.Error, Does.Contain("decompressed"));
    }

    [Test]
    public async Task Corrupt_gzip_is_400()
    {
        var result = await Reader.ReadAsync(Request(Encoding.UTF8.GetBytes("not gzip at all"), "gzip"), CancellationToken.None);

        Assert.That(result.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task Unknown_content_encoding_is_415()
    {
        var result = await Reader.ReadAsync(Request([1, 2, 3], "br"), CancellationToken.None);

        Assert.That(result.StatusCode, Is.EqualTo(415));
    }
}
