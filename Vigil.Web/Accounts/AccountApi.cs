using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Accounts;
using Vigil.Core.Audit;
using Vigil.Core.Projects;
using Vigil.Web.Api;
using Vigil.Web.Audit;
using Vigil.Web.Auth;

namespace Vigil.Web.Accounts;

/// <summary>
/// Dashboard accounts and project memberships for admins (a signed-in admin or the admin API key): list, create, delete
/// (its sessions end at once), a one-time password link; add a member to a project, remove one. Every change is audited.
/// </summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/v1/accounts").RequireAuthorization(AuthExtensions.AdminPolicy).WithTags("Accounts").DisableAntiforgery();
        accounts.MapGet("/", ListAsync).WithName("ListAccounts").WithSummary("Dashboard accounts with role and project memberships");
        accounts.MapPost("/", CreateAsync).WithName("CreateAccount")
            .WithSummary("Create an account {email, password?, role: admin|member, projects?}; without a password the answer has a one-time link to set one");
        accounts.MapGet("/{accountId}", GetAsync).WithName("GetAccount").WithSummary("One account");
        accounts.MapDelete("/{accountId}", DeleteAsync).WithName("DeleteAccount").WithSummary("Delete an account; its sessions end at once (not the last admin)");
        accounts.MapPost("/{accountId}/password-reset", ResetLinkAsync).WithName("AccountPasswordResetLink")
            .WithSummary("A one-time link with which the account's owner sets a new password");

        var members = app.MapGroup("/v1/projects/{projectId}/members").RequireAuthorization(AuthExtensions.AdminPolicy).WithTags("Accounts").DisableAntiforgery();
        members.MapPut("/{accountId}", AddMemberAsync).WithName("AddProjectMember").WithSummary("Make an account a member of the project (idempotent)");
        members.MapDelete("/{accountId}", RemoveMemberAsync).WithName("RemoveProjectMember").WithSummary("Remove an account from the project");
        return app;
    }

    private static async Task<Ok<List<AccountDto>>> ListAsync(UserAdmin users, CancellationToken ct) =>
        TypedResults.Ok((await users.ListAsync(ct)).Select(AccountDto.From).ToList());

    private static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> GetAsync(string accountId, UserAdmin users, CancellationToken ct) =>
        await users.GetAsync(accountId, ct) is { } u ? TypedResults.Ok(AccountDto.From(u)) : ApiProblems.NotFound($"Account '{accountId}' was not found.");

    private static async Task<Results<Created<CreatedAccountResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateAccountRequest? body, HttpContext http, UserAdmin users, MembershipService membership, ProjectService projects,
        PasswordLinks links, AuditLog audit, CancellationToken ct)
    {
        var email = body?.Email?.Trim();
        if (string.IsNullOrEmpty(email) || !email.Contains('@') || email.Length > 256) return ApiProblems.Invalid("email", "Required: an e-mail address.");
        if (AccountRoles.Parse(body!.Role) is not { } role) return ApiProblems.Invalid("role", "Must be admin or member.");
        if (body.Password is { Length: < InitOptions.MinPasswordLength })
            return ApiProblems.Invalid("password", $"At least {InitOptions.MinPasswordLength} characters (or none: the answer then has a link to set it).");
        var projectIds = (body.Projects ?? []).Distinct().ToList();
        foreach (var p in projectIds)
            if (await projects.GetAsync(p, ct) is null) return ApiProblems.Invalid("projects", $"Project '{p}' was not found.");

        var (result, user) = await users.CreateAsync(email, body.Password, role, ct);
        if (!result.Succeeded || user is null)
        {
            var duplicate = result.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail");
            return duplicate ? ApiProblems.Status(409, "Conflict", $"An account for '{email}' exists already.")
                : ApiProblems.Invalid(body.Password is null ? "email" : "password", string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        foreach (var p in projectIds) await membership.AddAsync(p, user.Id, ct);
        var link = body.Password is null ? await links.CreateAsync(user.Id, PasswordLinks.BaseUri(http.Request), ct) : null;
        var actor = Actors.From(http);
        await audit.RecordAsync(actor, AuditActions.AccountCreate, email, null, $"role {role.ToLowerInvariant()}" + (projectIds.Count > 0 ? $", member of {string.Join(", ", projectIds)}" : ""), ct);
        foreach (var p in projectIds) await audit.RecordAsync(actor, AuditActions.MembershipAdd, email, p, null, ct);
        return TypedResults.Created($"/v1/accounts/{user.Id}",
            new CreatedAccountResponse(user.Id, email, role.ToLowerInvariant(), projectIds, link?.Url, link?.ExpiresAt));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string accountId, HttpContext http, UserAdmin users, AuditLog audit, CancellationToken ct)
    {
        var account = await users.GetAsync(accountId, ct);
        switch (await users.DeleteAsync(accountId, ct))
        {
            case DeleteAccountOutcome.NotFound: return ApiProblems.NotFound($"Account '{accountId}' was not found.");
            case DeleteAccountOutcome.LastAdmin: return ApiProblems.Status(409, "Conflict", "The last admin account cannot be deleted.");
        }
        await audit.RecordAsync(Actors.From(http), AuditActions.AccountDelete, account?.Email ?? accountId, null, null, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<PasswordResetLink>, ProblemHttpResult>> ResetLinkAsync(
        string accountId, HttpContext http, UserAdmin users, PasswordLinks links, AuditLog audit, CancellationToken ct)
    {
        var account = await users.GetAsync(accountId, ct);
        if (account is null || await links.CreateAsync(accountId, PasswordLinks.BaseUri(http.Request), ct) is not { } link)
            return ApiProblems.NotFound($"Account '{accountId}' was not found.");
        await audit.RecordAsync(Actors.From(http), AuditActions.AccountPasswordResetLink, account.Email, null, null, ct);
        return TypedResults.Ok(link);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> AddMemberAsync(
        string projectId, string accountId, HttpContext http, UserAdmin users, ProjectService projects, MembershipService membership, AuditLog audit, CancellationToken ct)
    {
        if (await projects.GetAsync(projectId, ct) is null) return ApiProblems.NotFound($"Project '{projectId}' was not found.");
        if (await users.GetAsync(accountId, ct) is not { } account) return ApiProblems.NotFound($"Account '{accountId}' was not found.");
        if (account.ProjectIds.Contains(projectId)) return TypedResults.NoContent();
        await membership.AddAsync(projectId, accountId, ct);
        await audit.RecordAsync(Actors.From(http), AuditActions.MembershipAdd, account.Email, projectId, null, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveMemberAsync(
        string projectId, string accountId, HttpContext http, UserAdmin users, MembershipService membership, AuditLog audit, CancellationToken ct)
    {
        if (await users.GetAsync(accountId, ct) is not { } account || !account.ProjectIds.Contains(projectId))
            return ApiProblems.NotFound($"Account '{accountId}' is not a member of project '{projectId}'.");
        await membership.RemoveAsync(projectId, accountId, ct);
        await audit.RecordAsync(Actors.From(http), AuditActions.MembershipRemove, account.Email, projectId, null, ct);
        return TypedResults.NoContent();
    }
}
