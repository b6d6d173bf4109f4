namespace Personalization.DaprSidecar.Actors;

/// <summary>
/// Turn-based concurrency for one actor, as daprd's actor lock (pkg/actors/targets/app/lock): a FIFO queue of "flights";
/// the front flight holds the turn. With reentrancy on, a request carrying the reentrancy id of a flight already in the
/// queue joins that flight (one level deeper) instead of queueing behind it; past the stack limit it is refused.
/// </summary>
public sealed class TurnGate
{
    private readonly object _sync = new();
    private readonly LinkedList<Flight> _flights = new();

    /// <summary>No turn is held or awaited.</summary>
    public bool IsFree
    {
        get { lock (_sync) return _flights.Count == 0; }
    }

    /// <param name="reentrancyId">The caller's <c>Dapr-Reentrancy-Id</c> when reentrancy is on for the type; null otherwise.</param>
    public async Task<IDisposable> EnterAsync(string? reentrancyId, int maxStackDepth, TimeSpan waitLimit, CancellationToken cancellationToken)
    {
        Flight flight;
        lock (_sync)
        {
            flight = (reentrancyId is null ? null : _flights.FirstOrDefault(f => f.Id == reentrancyId))!;
            if (flight is not null)
            {
                if (flight.Depth + 1 > maxStackDepth)
                    throw new StackDepthExceededException(maxStackDepth);
                flight.Depth++;
            }
            else
            {
                flight = new Flight(reentrancyId);
                _flights.AddLast(flight);
                if (_flights.First!.Value == flight) flight.Started.TrySetResult();
            }
        }

        if (!flight.Started.Task.IsCompleted)
        {
            try
            {
                await flight.Started.Task.WaitAsync(waitLimit, cancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                Leave(flight);
                if (ex is TimeoutException) throw new TurnTimeoutException(waitLimit);
                throw;
            }
        }
        return new Turn(this, flight);
    }

    private void Leave(Flight flight)
    {
        lock (_sync)
        {
            if (--flight.Depth > 0) return;
            var wasHolder = _flights.First?.Value == flight;
            _flights.Remove(flight);
            if (wasHolder) _flights.First?.Value.Started.TrySetResult();
        }
    }

    private sealed class Flight(string? id)
    {
        public string? Id { get; } = id;
        public int Depth { get; set; } = 1;
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A held turn; disposing it lets the next flight in.</summary>
    private sealed class Turn(TurnGate gate, Flight flight) : IDisposable
    {
        private readonly TurnGate _gate = gate;
        private Flight? _flight = flight;

        public void Dispose()
        {
            var flight = Interlocked.Exchange(ref _flight, null);
            if (flight is not null) _gate.Leave(flight);
        }
    }
}

public sealed class StackDepthExceededException(int maxStackDepth)
    : Exception($"maximum stack depth exceeded (the actor type allows {maxStackDepth} nested reentrant calls)");

public sealed class TurnTimeoutException(TimeSpan waited)
    : Exception($"timed out after {waited.TotalSeconds:0.###}s waiting for the actor's turn")
{
    public TimeSpan Waited { get; } = waited;
}
