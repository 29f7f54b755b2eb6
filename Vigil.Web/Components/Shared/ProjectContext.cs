using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using Vigil.Core.Projects;

namespace Vigil.Web.Components.Shared;

/// <summary>
/// Which project the dashboard shows. Until sign-in exists, the project travels in the <c>?project=</c> query parameter and
/// defaults to the first project; this one scoped service is the place the auth work swaps for the signed-in user's projects.
/// </summary>
public sealed class ProjectContext(ProjectService projects, NavigationManager nav)
{
    public const string QueryName = "project";

    private List<Project>? _projects;

    /// <summary>Projects, read once per circuit (creating one is rare; a reload picks it up).</summary>
    public async Task<IReadOnlyList<Project>> ListAsync(CancellationToken ct = default) =>
        _projects ??= await projects.ListAsync(ct);

    /// <summary>The project named in the URL when it exists, else the first one; null when there is no project.</summary>
    public async Task<string?> ResolveAsync(CancellationToken ct = default)
    {
        var list = await ListAsync(ct);
        var requested = RequestedId;
        return list.FirstOrDefault(p => p.Id == requested)?.Id ?? list.FirstOrDefault()?.Id;
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

    /// <summary>Shows another project: same page, filters dropped (they rarely mean the same in another project).</summary>
    public void Switch(string projectId)
    {
        var path = nav.ToAbsoluteUri(nav.Uri).AbsolutePath;
        // A trace id belongs to one project: switching from a trace goes back to the list.
        if (path.StartsWith("/traces/", StringComparison.Ordinal)) path = "/traces";
        nav.NavigateTo(Href(path, projectId));
    }
}
