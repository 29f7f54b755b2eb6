using Microsoft.AspNetCore.Components.Authorization;
using Vigil.Core.Audit;

namespace Vigil.Web.Audit;

/// <summary>Writes an admin action taken in the dashboard to the audit log, as the circuit's user from its client address.</summary>
public sealed class DashboardAudit(AuditLog log, AuthenticationStateProvider auth, CircuitClient client)
{
    public async Task RecordAsync(string action, string? target, string? projectId = null, string? detail = null)
    {
        var user = (await auth.GetAuthenticationStateAsync()).User;
        await log.RecordAsync(Actors.From(user, client.Address), action, target, projectId, detail);
    }
}
