using System.Globalization;
using System.Text;

namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>Python's <c>datetime.strftime</c> in the C locale (English names), for <c>strftime_now</c>.</summary>
internal static class Strftime
{
    public static string Format(DateTimeOffset time, string format)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                sb.Append(format[i]);
                continue;
            }

            var code = format[++i];
            // glibc's %-d style: no padding.
            var unpadded = code == '-' && i + 1 < format.Length;
            if (unpadded)
                code = format[++i];
            string Pad(int value, int width) => unpadded ? value.ToString(c) : value.ToString(new string('0', width), c);
            sb.Append(code switch
            {
                'Y' => time.Year.ToString(c),
                'y' => Pad(time.Year % 100, 2),
                'm' => Pad(time.Month, 2),
                'd' => Pad(time.Day, 2),
                'e' => time.Day.ToString(c).PadLeft(2),
                'H' => Pad(time.Hour, 2),
                'I' => Pad(time.Hour % 12 == 0 ? 12 : time.Hour % 12, 2),
                'M' => Pad(time.Minute, 2),
                'S' => Pad(time.Second, 2),
                'f' => (time.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", c),
                'p' => time.Hour < 12 ? "AM" : "PM",
                'j' => Pad(time.DayOfYear, 3),
                'B' => time.ToString("MMMM", c),
                'b' or 'h' => time.ToString("MMM", c),
                'A' => time.ToString("dddd", c),
                'a' => time.ToString("ddd", c),
                'w' => ((int)time.DayOfWeek).ToString(c),
                'u' => (time.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)time.DayOfWeek).ToString(c),
                'F' => time.ToString("yyyy-MM-dd", c),
                'T' => time.ToString("HH:mm:ss", c),
                'D' => time.ToString("MM/dd/yy", c),
                'z' => (time.Offset < TimeSpan.Zero ? "-" : "+") + time.Offset.ToString("hhmm", c),
                '%' => "%",
                _ => "%" + code,
            });
        }

        return sb.ToString();
    }
}
