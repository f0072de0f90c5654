namespace Takeoff.Engine.Models;

/// <summary>A one-line download progress bar on standard error, redrawn at most every 1%.</summary>
internal sealed class ConsoleProgressBar(TextWriter output) : IProgress<DownloadProgress>
{
    private const int Width = 40;
    private int _lastPercent = -1;

    public void Report(DownloadProgress value)
    {
        if (value.Total is not > 0)
            return;
        var percent = (int)(value.Received * 100 / value.Total.Value);
        if (percent == _lastPercent)
            return;
        _lastPercent = percent;
        var filled = percent * Width / 100;
        output.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}% " +
                     $"{value.Received / 1_048_576.0:F1}/{value.Total.Value / 1_048_576.0:F1} MiB");
        if (percent == 100)
            output.WriteLine();
        output.Flush();
    }
}
