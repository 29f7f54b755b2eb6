using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.WebUtilities;
using Vigil.Core.Accounts;
using Vigil.Core.Projects;

namespace Vigil.Web.Components.Shared;

/// <summary>
/// Which project the dashboard shows. The project travels in the <c>?project=</c> query parameter and defaults to the first
/// project the signed-in user may see; a project they may not see is never resolved (every page asks here, so every
/// dashboard query is scoped to the user's projects).
/// </summary>
public sealed class ProjectContext(MembershipService membership, AuthenticationStateProvider auth, NavigationManager nav)
{
    public const string QueryName = "project";

    private List<Project>? _projects;

    /// <summary>The signed-in user's projects (an admin: all), read once per circuit (a reload picks up new ones).</summary>
    public async Task<IReadOnlyList<Project>> ListAsync(CancellationToken ct = default)
    {
        if (_projects is not null) return _projects;
        var user = (await auth.GetAuthenticationStateAsync()).User;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        _projects = user.Identity?.IsAuthenticated == true && userId is not null
            ? await membership.ProjectsForAsync(userId, user.IsInRole(VigilRoles.Admin), ct)
            : [];
        return _projects;
    }

    /// <summary>Forgets the cached list (after an admin created a project or changed memberships).</summary>
    public void Invalidate() => _projects = null;

    /// <summary>
    /// The project named in the URL when the user may see it; without <c>?project=</c>, their first. Null when they have none
    /// or named one they may not see (no fallback: the URL and the data shown must never disagree).
    /// </summary>
    public async Task<string?> ResolveAsync(CancellationToken ct = default)
    {
        var list = await ListAsync(ct);
        var requested = RequestedId;
        return string.IsNullOrEmpty(requested) ? list.FirstOrDefault()?.Id : list.FirstOrDefault(p => p.Id == requested)?.Id;
    }

    /// <summary>The <c>project</c> query parameter of the current URL, if any.</summary>
    public string? RequestedId
    {
        get
        {
            var query = nav.ToAbsoluteUri(nav.Uri).Query;
            return QueryHelpers.ParseQuery(query).TryGetValue(QueryName, out var v) && v.Count > 0 ? v[0] : null;
        }
    }

    /// <summary>A dashboard link that keeps the current project, e.g. <c>/traces?project=x</c>.</summary>
    public string Href(string path, string? projectId = null)
    {
        var id = projectId ?? RequestedId;
        return string.IsNullOrEmpty(id) ? path : QueryHelpers.AddQueryString(path, QueryName, id);
    }

    /// <summary>Shows another of the user's projects: same page, filters dropped (they rarely mean the same elsewhere).</summary>
    public async Task SwitchAsync(string projectId)
    {
        if ((await ListAsync()).All(p => p.Id != projectId)) return; // only permitted projects are accepted
        var path = nav.ToAbsoluteUri(nav.Uri).AbsolutePath;
        // A trace id belongs to one project: switching from a trace goes back to the list.
        if (path.StartsWith("/traces/", StringComparison.Ordinal)) path = "/traces";
        nav.NavigateTo(Href(path, projectId));
    }
}
