using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Vigil.Web.Api;

/// <summary>RFC 7807 problem details used across the API, so every error names its field or limit.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult Status(int status, string title, string detail, string? limit = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (limit is not null) problem.Extensions["limit"] = limit;
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult BadRequest(string detail, string? limit = null) => Status(400, "Bad request", detail, limit);

    public static ProblemHttpResult NotFound(string detail) => Status(404, "Not found", detail);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}");

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(errors, detail: detail ?? "One or more fields are invalid.");
}
