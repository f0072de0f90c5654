using Microsoft.AspNetCore.Mvc;

namespace Takeoff.Api.Takeoff;

/// <summary>
/// What every Takeoff controller shares: the API's marker, JSON bodies, and problem details for 400 (naming the field),
/// 404 and 503 (with Retry-After).
/// </summary>
[ApiController]
[TakeoffApi]
[Consumes("application/json")]
[ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
public abstract class TakeoffController : ControllerBase;
