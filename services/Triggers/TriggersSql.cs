using Npgsql;

namespace Personalization.Triggers;

/// <summary>Statements for the batches that write one outcome together (its row, its record, its feedback), with nulls as SQL nulls.</summary>
public static class TriggersSql
{
    public static NpgsqlBatchCommand Batched(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }

    /// <summary>A line of a journey's record (<c>journey_log</c>): what happened at a step of an occurrence.</summary>
    public static NpgsqlBatchCommand JourneyRecord(string tenantId, string journeyId, int version, string userId, string actorId, int number,
        string? stepId, string outcome, string? detail, DateTimeOffset at) => Batched($"""
        insert into {TriggersSchema.Name}.journey_log (tenant_id, journey_id, version, user_id, actor_id, number, step_id, outcome, detail, at)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        """, tenantId, journeyId, version, userId, actorId, number, stepId, outcome, detail, at);
}
