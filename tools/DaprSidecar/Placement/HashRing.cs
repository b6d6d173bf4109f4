using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Personalization.DaprSidecar.Placement;

/// <summary>
/// Consistent hashing over hosts, as daprd's placement tables: each host owns many points on a ring, and an actor
/// belongs to the host of the first point at or after its own hash. A host joining or leaving moves only the actors
/// of its points. The same hosts give the same ring on every emulator.
/// </summary>
public sealed class HashRing
{
    /// <summary>Points per host (daprd uses 100): enough that hosts get near-equal shares.</summary>
    public const int PointsPerHost = 128;

    private readonly ulong[] _points;
    private readonly string[] _owners;

    public HashRing(IEnumerable<string> hosts)
    {
        var points = hosts.Distinct(StringComparer.Ordinal)
            .SelectMany(host => Enumerable.Range(0, PointsPerHost).Select(i => (Point: Hash($"{host}#{i}"), Host: host)))
            // Ties (vanishingly rare) go to the lower host id, so every emulator breaks them alike.
            .OrderBy(p => p.Point).ThenBy(p => p.Host, StringComparer.Ordinal)
            .ToArray();
        _points = [.. points.Select(p => p.Point)];
        _owners = [.. points.Select(p => p.Host)];
        Hosts = [.. _owners.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> Hosts { get; }

    /// <summary>The host that owns <paramref name="key"/>, or null on an empty ring.</summary>
    public string? OwnerOf(string key)
    {
        if (_points.Length == 0) return null;
        var index = Array.BinarySearch(_points, Hash(key));
        if (index < 0) index = ~index;
        return _owners[index == _points.Length ? 0 : index];
    }

    private static ulong Hash(string value)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), digest);
        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }
}
