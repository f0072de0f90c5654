using Microsoft.AspNetCore.Mvc;
using Takeoff.Api.Hosting.OpenApi;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// What every /v1 controller shares: its own OpenAPI document, and OpenAI's error body for 400, 404 and 503. Each
/// controller adds <see cref="OpenAiApiAttribute"/>, which names its fields.
/// </summary>
[ApiController]
[OpenAiStatusErrors]
[ApiExplorerSettings(GroupName = TakeoffOpenApi.OpenAiDocument)]
[ProducesResponseType<OpenAiErrorResponse>(StatusCodes.Status400BadRequest, "application/json")]
[ProducesResponseType<OpenAiErrorResponse>(StatusCodes.Status404NotFound, "application/json")]
[ProducesResponseType<OpenAiErrorResponse>(StatusCodes.Status503ServiceUnavailable, "application/json")]
public abstract class OpenAiController : ControllerBase;
