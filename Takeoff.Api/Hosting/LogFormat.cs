namespace Takeoff.Api.Hosting;

/// <summary>How the console logs are written.</summary>
public enum LogFormat
{
    /// <summary>ASP.NET Core's plain console lines.</summary>
    Simple,

    /// <summary>One JSON object per line, for log collectors.</summary>
    Json,
}
