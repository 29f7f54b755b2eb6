using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Core.Alerting;
using Vigil.Core.Audit;
using Vigil.Core.Alerting.Channels;
using Vigil.Core.Alerting.Delivery;
using Vigil.Web.Api;
using Vigil.Web.Audit;
using Vigil.Web.Auth;

namespace Vigil.Web.Alerting;

/// <summary>Alert channels of the projects: admins only (a signed-in admin or the admin API key). URLs and secrets go in, never out.</summary>
public static class ChannelEndpoints
{
    public static IEndpointRouteBuilder MapChannelEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/channels").RequireAuthorization(AuthExtensions.AdminPolicy).WithTags("Alerting").DisableAntiforgery();
        group.MapGet("/", ListAsync).WithName("ListChannels").WithSummary("Alert channels, of one project with ?project_id=");
        group.MapPost("/", CreateAsync).WithName("CreateChannel").WithSummary("Create a webhook, Slack or Teams channel (a webhook's signing secret is answered once)");
        group.MapGet("/{id:long}", GetAsync).WithName("GetChannel").WithSummary("One channel (never its URL or secret)");
        group.MapPut("/{id:long}", UpdateAsync).WithName("UpdateChannel").WithSummary("Change a channel; fields left out keep their value");
        group.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteChannel").WithSummary("Delete a channel with its delivery log");
        group.MapPost("/{id:long}/test", TestAsync).WithName("TestChannel").WithSummary("Queue a test message to this channel");
        group.MapGet("/{id:long}/deliveries", DeliveriesAsync).WithName("ListChannelDeliveries").WithSummary("The channel's delivery log, newest first");
        return app;
    }

    private static async Task<Ok<ChannelListResponse>> ListAsync(ChannelService channels, CancellationToken ct, string? project_id = null)
    {
        var list = await channels.ListAsync(string.IsNullOrEmpty(project_id) ? null : project_id, ct);
        return TypedResults.Ok(new ChannelListResponse(list.Select(ChannelView.From).ToList(), list.Count));
    }

    private static async Task<Results<Created<CreatedChannelResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        ChannelRequest? body, HttpContext http, ChannelService channels, AuditLog audit, CancellationToken ct)
    {
        if (body is null) return ApiProblems.Invalid("project_id", "Required: the project the channel belongs to.");
        if (string.IsNullOrWhiteSpace(body.ProjectId))
        {
            var errors = body.ToInput().Validate(create: true);
            errors["project_id"] = ["Required: the project the channel belongs to."];
            return ApiProblems.Invalid(errors);
        }
        var outcome = await channels.CreateAsync(body.ProjectId.Trim(), body.ToInput(), ct);
        if (outcome.Value is { } created)
            await audit.RecordAsync(Actors.From(http), AuditActions.ChannelCreate, ChannelAudit.Target(created.Channel), created.Channel.ProjectId, null, CancellationToken.None);
        return outcome.Kind switch
        {
            AlertingOutcomeKind.Ok => TypedResults.Created($"/v1/channels/{outcome.Value!.Channel.Id}", CreatedChannelResponse.From(outcome.Value)),
            AlertingOutcomeKind.Invalid => ApiProblems.Invalid(outcome.Errors!),
            _ => ApiProblems.NotFound(outcome.Message!),
        };
    }

    private static async Task<Results<Ok<ChannelView>, ProblemHttpResult>> GetAsync(long id, ChannelService channels, CancellationToken ct) =>
        await channels.GetAsync(null, id, ct) is { } c ? TypedResults.Ok(ChannelView.From(c)) : ApiProblems.NotFound($"Channel {id} was not found.");

    private static async Task<Results<Ok<ChannelView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, ChannelRequest? body, HttpContext http, ChannelService channels, AuditLog audit, CancellationToken ct)
    {
        body ??= new ChannelRequest(null, null, null, null, null, null, null);
        var before = await channels.GetAsync(null, id, ct);
        var outcome = await channels.UpdateAsync(null, id, body.ToInput(), ct);
        if (outcome.Value is { } updated && before is not null)
            await audit.RecordAsync(Actors.From(http), AuditActions.ChannelUpdate, ChannelAudit.Target(updated), updated.ProjectId,
                ChannelAudit.Changes(before, updated, urlSent: body.Url is not null), CancellationToken.None);
        return outcome.Kind switch
        {
            AlertingOutcomeKind.Ok => TypedResults.Ok(ChannelView.From(outcome.Value!)),
            AlertingOutcomeKind.Invalid => ApiProblems.Invalid(outcome.Errors!),
            _ => ApiProblems.NotFound(outcome.Message!),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        long id, HttpContext http, ChannelService channels, AuditLog audit, CancellationToken ct)
    {
        if (await channels.GetAsync(null, id, ct) is not { } channel || !await channels.DeleteAsync(null, id, ct))
            return ApiProblems.NotFound($"Channel {id} was not found.");
        await audit.RecordAsync(Actors.From(http), AuditActions.ChannelDelete, ChannelAudit.Target(channel), channel.ProjectId, null, CancellationToken.None);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<ChannelTestResponse>, ProblemHttpResult>> TestAsync(long id, ChannelService channels, CancellationToken ct)
    {
        var outcome = await channels.SendTestAsync(null, id, ct);
        if (outcome.Value is not { } entry) return ApiProblems.NotFound(outcome.Message!);
        var log = $"/v1/channels/{id}/deliveries";
        return TypedResults.Accepted(log, new ChannelTestResponse(id, entry.Id, entry.EventId, "queued", log));
    }

    private static async Task<Results<Ok<DeliveryLogResponse>, ValidationProblem, ProblemHttpResult>> DeliveriesAsync(
        long id, DeliveryLogService log, CancellationToken ct, string? limit = null)
    {
        var errors = new QueryErrors();
        var take = errors.Int(limit, "limit", 100, 1, DeliveryLogService.MaxLimit);
        if (errors.Any) return ApiProblems.Invalid(errors.Errors);
        var entries = await log.ListAsync(null, id, take, ct);
        if (entries is null) return ApiProblems.NotFound($"Channel {id} was not found.");
        return TypedResults.Ok(new DeliveryLogResponse(entries.Select(DeliveryLogDto.From).ToList(), entries.Count));
    }
}
