using Npgsql;
using Personalization.Contracts;

namespace Personalization.Segmentation.Segments.Store;

/// <summary>A member of a segment: a known person (user id) or an anonymous visitor, and since when.</summary>
public sealed record SegmentMember(string? UserId, string? AnonymousId, DateTimeOffset Since)
{
    public static SegmentMember Of(string userKey, DateTimeOffset since) =>
        userKey.StartsWith(StreamKey.UserPrefix, StringComparison.Ordinal)
            ? new(userKey[StreamKey.UserPrefix.Length..], null, since)
            : new(null, userKey[StreamKey.AnonymousPrefix.Length..], since);
}

/// <summary>One page of members, in a stable order; <see cref="Next"/> asks for the page after it (null on the last).</summary>
public sealed record MembersPage(IReadOnlyList<SegmentMember> Members, string? Next);

/// <summary>A segment a person is in, with the version that put them there.</summary>
public sealed record PersonSegment(string SegmentId, int Version, DateTimeOffset Since);

/// <summary>Reads of the membership table that the actors' transitions keep current.</summary>
public sealed class SegmentMembers(NpgsqlDataSource dataSource, SegmentationSchema schema)
{
    private const string Table = SegmentationSchema.Name + ".memberships";
    public const int MaxPage = 1000;

    public async Task<long> CountAsync(string tenantId, string segmentId, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"select count(*) from {Table} where tenant_id = $1 and segment_id = $2 and member");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(segmentId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Members after the person keyed <paramref name="after"/>, in key order (keyset paging: stable while people come and go).</summary>
    public async Task<MembersPage> PageAsync(string tenantId, string segmentId, string? after, int limit, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            select user_key, since from {Table} where tenant_id = $1 and segment_id = $2 and member and user_key > $3
            order by user_key limit $4
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(segmentId);
        command.Parameters.AddWithValue(after ?? "");
        command.Parameters.AddWithValue(limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<(string Key, DateTimeOffset Since)>();
        while (await reader.ReadAsync(cancellationToken)) keys.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        var page = keys.Take(limit).ToList();
        return new MembersPage(page.Select(k => SegmentMember.Of(k.Key, k.Since)).ToList(), keys.Count > limit ? page[^1].Key : null);
    }

    public async Task<IReadOnlyList<PersonSegment>> OfPersonAsync(string tenantId, string userKey, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand(
            $"""
            select m.segment_id, m.version, m.since from {Table} m
            join {SegmentationSchema.Name}.live_segments s on s.tenant_id = m.tenant_id and s.segment_id = m.segment_id
            where m.tenant_id = $1 and m.user_key = $2 and m.member order by m.segment_id
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(userKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var segments = new List<PersonSegment>();
        while (await reader.ReadAsync(cancellationToken))
            segments.Add(new PersonSegment(reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2)));
        return segments;
    }
}
