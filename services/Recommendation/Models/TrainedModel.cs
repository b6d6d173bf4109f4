using System.IO.Compression;
using System.Text.Json;
using Personalization.Recommendation.Candidates;
using Personalization.Recommendation.Interactions;
using Personalization.Recommendation.Ranking;

namespace Personalization.Recommendation.Models;

/// <summary>
/// A fitted generator with what it was fitted on, as stored in a model version: the algorithm, its settings, the
/// weighted matrix, the generator's own state and the items trending when it was trained, Brotli-compressed behind a
/// format header. Loading gives a generator that answers exactly as the saved one did. Format 1 (without the trending
/// items) still loads.
/// </summary>
public sealed record TrainedModel(
    string Algorithm, GeneratorSettings Settings, TrainingData Data, ICandidateGenerator Generator, Trending? Trend = null, ContentBased? Content = null)
{
    private const string Format = "personalization-model/3";
    private const string FormatWithoutContent = "personalization-model/2";
    private const string FormatWithoutTrend = "personalization-model/1";

    /// <summary>
    /// What the catalogue's text says: the generator's own content source, else <see cref="Content"/>, fitted beside a
    /// generator without one so items nobody has had yet stay reachable on product pages and for new people.
    /// </summary>
    public ContentBased? ContentGenerator => Source<ContentBased>() ?? Content;

    /// <summary>The generator if it is a <typeparamref name="T"/>, else the hybrid's source of that kind, if any.</summary>
    public T? Source<T>() where T : class, ICandidateGenerator =>
        Generator as T ?? (Generator as HybridRecommender)?.Generators.OfType<T>().FirstOrDefault();

    public void Save(Stream stream)
    {
        using var compressed = new BrotliStream(stream, CompressionLevel.Fastest, leaveOpen: true);
        using var writer = new ModelStateWriter(compressed);
        writer.Write(Format);
        writer.Write(Algorithm);
        writer.Write(JsonSerializer.Serialize(Settings));
        writer.Write(Data.Catalogue.Count > 0 ? 1 : 0);
        Data.Matrix.Save(writer);
        Generator.Save(writer);
        (Trend ?? Trending.None).Save(writer);
        writer.Write(Content is null ? 0 : 1);
        Content?.Save(writer);
    }

    public byte[] ToBytes()
    {
        using var bytes = new MemoryStream();
        Save(bytes);
        return bytes.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not a model this version can read.</exception>
    public static TrainedModel Load(Stream stream)
    {
        try
        {
            using var compressed = new BrotliStream(stream, CompressionMode.Decompress, leaveOpen: true);
            using var reader = new ModelStateReader(compressed);
            var format = reader.ReadString();
            if (format is not (Format or FormatWithoutContent or FormatWithoutTrend)) throw new InvalidDataException($"a model of format '{format}', not {Format}");
            var algorithm = reader.ReadString();
            var settings = JsonSerializer.Deserialize<GeneratorSettings>(reader.ReadString())
                ?? throw new InvalidDataException("the model's settings are missing");
            var hasCatalogue = reader.ReadInt() == 1;
            var data = TrainingData.Of(InteractionMatrix.Load(reader)) with { Weighting = settings.Weighting };
            var generator = Algorithms.Create(algorithm, settings, hasCatalogue);
            generator.Load(reader, data);
            var trend = format == FormatWithoutTrend ? Trending.None : Trending.Load(reader);
            ContentBased? content = null;
            if (format == Format && reader.ReadInt() == 1) (content = new ContentBased(settings.Seed)).Load(reader, data);
            return new TrainedModel(algorithm, settings, data, generator, trend, content);
        }
        // Brotli reports corrupt input as InvalidOperationException, an unknown algorithm is an ArgumentException.
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ArgumentException or JsonException)
        {
            throw new InvalidDataException($"not a model this version can read: {ex.Message}", ex);
        }
    }

    public static TrainedModel FromBytes(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return Load(stream);
    }
}
