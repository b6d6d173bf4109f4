using System.Globalization;

namespace Personalization.DaprSidecar.Placement;

/// <summary>
/// Why a call came from another emulator, carried as <c>X-Sidecar-Forwarded: {hops}; {ring|holder}</c>. A call its ring
/// sent here may activate the actor here whatever this host's ring says (the views differ for a moment); one sent here
/// because this host held the actor follows this host's ring if the actor has left meanwhile.
/// </summary>
public readonly record struct Forwarding(int Hops, bool SentByRing)
{
    /// <summary>Enough for ring → holder → ring when the actor moves during the call; no ping-pong past that.</summary>
    public const int MaxHops = 3;

    public static Forwarding None => new(0, false);

    public bool IsForwarded => Hops > 0;

    public Forwarding Next(bool toHolder) => new(Hops + 1, !toHolder);

    public override string ToString() => $"{Hops.ToString(CultureInfo.InvariantCulture)}; {(SentByRing ? "ring" : "holder")}";

    public static Forwarding Parse(string? header)
    {
        var parts = (header ?? "").Split(';', 2, StringSplitOptions.TrimEntries);
        return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hops) && hops > 0
            ? new Forwarding(hops, parts.Length < 2 || parts[1] != "holder")
            : None;
    }
}
