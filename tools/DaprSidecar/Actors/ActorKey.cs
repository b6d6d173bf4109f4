namespace Personalization.DaprSidecar.Actors;

/// <summary>One actor: its type and id. Printed the way daprd prints it, <c>type||id</c>.</summary>
public readonly record struct ActorKey(string Type, string Id)
{
    public override string ToString() => $"{Type}||{Id}";
}
