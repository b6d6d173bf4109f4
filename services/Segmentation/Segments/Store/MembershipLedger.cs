using Npgsql;
using Personalization.Segmentation.Segments.Evaluation;
using Personalization.ServiceDefaults;

namespace Personalization.Segmentation.Segments.Store;

/// <summary>
/// Writes a person's segment transitions and keeps the membership table in step, in one transaction. A transition is
/// keyed by (tenant, segment, person, number): writing it again (a redelivered event, a turn retried after its state
/// failed to save, a rebuild) changes nothing, so each change is published once, from this table. Each keeps the
/// trace context of the turn that made it, so its publication joins the trace of the event that caused it.
/// </summary>
public sealed class MembershipLedger(NpgsqlDataSource dataSource, SegmentationSchema schema)
{
    public const string NotifyChannel = "segment_transitions";
    private const string Transitions = SegmentationSchema.Name + ".transitions";
    private const string Memberships = SegmentationSchema.Name + ".memberships";

    public async Task RecordAsync(string tenantId, string userKey, IReadOnlyList<SegmentTransition> transitions, CancellationToken cancellationToken)
    {
        if (transitions.Count == 0) return;
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            with written as (
                insert into {Transitions} (tenant_id, segment_id, user_key, number, version, entered, at, caused_by, trace_parent)
                select $1, t.segment_id, $2, t.number, t.version, t.entered, t.at, t.caused_by, $9
                from unnest($3::text[], $4::int[], $5::int[], $6::boolean[], $7::timestamptz[], $8::uuid[])
                     as t (segment_id, number, version, entered, at, caused_by)
                on conflict do nothing
                returning segment_id, number, version, entered, at),
            latest as (
                select distinct on (segment_id) * from written order by segment_id, number desc),
            kept as (
                insert into {Memberships} (tenant_id, segment_id, user_key, version, member, since, transitions)
                select $1, segment_id, $2, version, entered, case when entered then at end, number from latest
                on conflict (tenant_id, segment_id, user_key) do update
                set version = excluded.version, member = excluded.member, since = excluded.since, transitions = excluded.transitions
                where {Memberships}.transitions < excluded.transitions)
            select pg_notify('{NotifyChannel}', $1) where exists (select from written)
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(userKey);
        command.Parameters.AddWithValue(transitions.Select(t => t.SegmentId).ToArray());
        command.Parameters.AddWithValue(transitions.Select(t => t.Number).ToArray());
        command.Parameters.AddWithValue(transitions.Select(t => t.Version).ToArray());
        command.Parameters.AddWithValue(transitions.Select(t => t.Entered).ToArray());
        command.Parameters.AddWithValue(transitions.Select(t => t.At.ToUniversalTime()).ToArray());
        command.Parameters.AddWithValue(transitions.Select(t => t.CausedBy).ToArray());
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)StoredTraces.Current ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Makes the members of a discovery method's segments (ids starting <c>method.</c>) exactly <paramref name="members"/>,
    /// within the caller's transaction: an entry for each person not yet in their segment, an exit for each member
    /// no longer assigned, each numbered after the person's last transition in that segment, as the actors number theirs.
    /// </summary>
    /// <returns>How many entered and how many left.</returns>
    public static async Task<(long Entered, long Exited)> AssignAsync(NpgsqlConnection connection, string tenantId, string method, int version,
        DateTimeOffset at, IReadOnlyList<(string UserKey, string SegmentId)> members, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            with target as (
                select * from unnest($3::text[], $4::text[]) as t (user_key, segment_id)),
            held as (
                select segment_id, user_key, member, transitions from {Memberships}
                where tenant_id = $1 and starts_with(segment_id, $2)),
            changes as (
                select t.segment_id, t.user_key, true as entered, coalesce(h.transitions, 0) + 1 as number
                from target t left join held h using (segment_id, user_key) where h.member is not true
                union all
                select h.segment_id, h.user_key, false, h.transitions + 1
                from held h left join target t using (segment_id, user_key) where h.member and t.user_key is null),
            written as (
                insert into {Transitions} (tenant_id, segment_id, user_key, number, version, entered, at, caused_by)
                select $1, segment_id, user_key, number, $5, entered, $6, null from changes
                on conflict do nothing
                returning segment_id, user_key, number, entered),
            kept as (
                insert into {Memberships} (tenant_id, segment_id, user_key, version, member, since, transitions)
                select $1, segment_id, user_key, $5, entered, case when entered then $6 end, number from written
                on conflict (tenant_id, segment_id, user_key) do update
                set version = excluded.version, member = excluded.member, since = excluded.since, transitions = excluded.transitions
                where {Memberships}.transitions < excluded.transitions),
            notified as (
                select pg_notify('{NotifyChannel}', $1) from (select from written limit 1) w)
            select count(*) filter (where entered), count(*) filter (where not entered), (select count(*) from notified)
            from written
            """, connection);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(method + ".");
        command.Parameters.AddWithValue(members.Select(m => m.UserKey).ToArray());
        command.Parameters.AddWithValue(members.Select(m => m.SegmentId).ToArray());
        command.Parameters.AddWithValue(version);
        command.Parameters.AddWithValue(at.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Forgets an erased person: their memberships, transitions (published or not) and soft memberships.</summary>
    public async Task ForgetAsync(string tenantId, string userKey, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync();
        await using var command = dataSource.CreateCommand($"""
            with memberships as (delete from {Memberships} where tenant_id = $1 and user_key = $2),
                 soft as (delete from {SegmentationSchema.Name}.soft_memberships where tenant_id = $1 and user_key = $2)
            delete from {Transitions} where tenant_id = $1 and user_key = $2
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(userKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
