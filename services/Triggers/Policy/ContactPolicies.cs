using Personalization.Triggers.Definitions;

namespace Personalization.Triggers.Policy;

/// <summary>The tenants' contact policies as sends and waits apply them: the latest saved, or <see cref="ContactPolicy.None"/>.</summary>
public sealed class ContactPolicies
{
    private readonly TenantCache<ContactPolicy> _cache;

    public ContactPolicies(DefinitionStore definitions, TimeProvider clock) =>
        _cache = new TenantCache<ContactPolicy>(async (tenantId, ct) =>
            (await definitions.CurrentAsync(tenantId, DefinitionKind.ContactPolicy, [ContactPolicy.DefinitionId], ct)).TryGetValue(ContactPolicy.DefinitionId, out var body)
                ? ContactPolicyParser.Parse(body).Policy ?? ContactPolicy.None
                : ContactPolicy.None, clock);

    public void Forget(string tenantId) => _cache.Forget(tenantId);

    public Task<ContactPolicy> ForAsync(string tenantId, CancellationToken cancellationToken) => _cache.GetAsync(tenantId, cancellationToken);
}
