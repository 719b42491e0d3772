using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LeadToCash.Modules.Leads.ImportLeads;

/// <summary>How the import reads the free-text values people type into spreadsheets: budgets, timeframes, yes/no.</summary>
public static partial class LeadValues
{
    /// <summary>"50万", "¥100,000", "100000 元", "1.5M", "10-20万" (the lower bound) → minor units (分); null when unreadable.</summary>
    public static long? BudgetMinor(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = Compact(text);
        foreach (var noise in new[] { "¥", "￥", "$", "rmb", "cny", "人民币", "元", "左右", "约", "以上", "大概" })
        {
            t = t.Replace(noise, "", StringComparison.Ordinal);
        }

        t = t.Replace(",", "", StringComparison.Ordinal);
        decimal unit = 1;
        foreach (var (suffix, factor) in new (string, decimal)[] { ("百万", 1_000_000), ("千万", 10_000_000), ("万", 10_000), ("亿", 100_000_000), ("千", 1_000), ("w", 10_000), ("k", 1_000), ("m", 1_000_000) })
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                t = t[..^suffix.Length];
                unit = factor;
                break;
            }
        }

        // A range counts from its lower bound.
        var range = t.IndexOfAny(['-', '~', '至', '到']);
        if (range > 0)
        {
            t = t[..range];
        }

        if (!decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount < 0)
        {
            return null;
        }

        var minor = amount * unit * 100;
        return minor < 1_000_000_000_000_00m ? (long)Math.Round(minor, MidpointRounding.AwayFromZero) : null;
    }

    /// <summary>"3个月", "三个月内", "半年", "1 year", "6", "2027-03" → months from <paramref name="now"/>; null when unreadable.</summary>
    public static int? PurchaseWithinMonths(string? text, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = Compact(text);
        foreach (var (word, months) in new (string, int)[]
            {
                ("本月", 1), ("当月", 1), ("立即", 1), ("马上", 1), ("immediately", 1), ("asap", 1), ("thismonth", 1),
                ("本季度", 3), ("thisquarter", 3), ("半年", 6), ("halfayear", 6), ("halfyear", 6), ("今年", 12), ("本年", 12), ("thisyear", 12),
            })
        {
            if (t.Contains(word, StringComparison.Ordinal))
            {
                return months;
            }
        }

        if (DateMonth().Match(t) is { Success: true } date)
        {
            var year = int.Parse(date.Groups["y"].Value, CultureInfo.InvariantCulture);
            var month = int.Parse(date.Groups["m"].Value, CultureInfo.InvariantCulture);
            if (month is < 1 or > 12)
            {
                return null;
            }

            return Math.Max(0, ((year - now.Year) * 12) + month - now.Month);
        }

        t = ChineseNumber().Replace(t, m => ChineseDigits(m.Value).ToString(CultureInfo.InvariantCulture));
        if (Amount().Match(t) is not { Success: true } match)
        {
            return null;
        }

        var value = decimal.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups["u"].Value;
        var result = unit switch
        {
            "年" or "year" or "years" or "yr" or "yrs" => value * 12,
            "周" or "星期" or "week" or "weeks" or "wk" or "wks" => Math.Ceiling(value / 4),
            "天" or "日" or "day" or "days" => Math.Ceiling(value / 30),
            _ => value,
        };
        return result is >= 0 and <= 120 ? (int)Math.Ceiling(result) : null;
    }

    /// <summary>是/否, yes/no, true/false, 1/0, Y/N, √/×; null when it is neither.</summary>
    public static bool? YesNo(string? text) => string.IsNullOrWhiteSpace(text) ? null : Compact(text) switch
    {
        "是" or "有" or "yes" or "y" or "true" or "1" or "√" or "✓" or "x" or "已确认" => true,
        "否" or "无" or "没有" or "no" or "n" or "false" or "0" or "×" or "未确认" => false,
        _ => null,
    };

    /// <summary>A head count in a size text ("2822", "约500人", "1,200 employees"), for sizes given as a number.</summary>
    public static int? HeadCount(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = Amount().Match(Compact(text).Replace(",", "", StringComparison.Ordinal));
        return match.Success && decimal.TryParse(match.Groups["n"].Value, CultureInfo.InvariantCulture, out var n) && n < int.MaxValue
            ? (int)n
            : null;
    }

    /// <summary>Tags separated by commas, semicolons or 、 in any width → "a,b,c".</summary>
    public static string? Tags(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var tags = text.Normalize(NormalizationForm.FormKC)
            .Split([',', ';', '、', '|', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        var joined = string.Join(",", tags);
        return joined.Length > 0 ? joined : null;
    }

    private static string Compact(string text) =>
        new(text.Normalize(NormalizationForm.FormKC).ToLowerInvariant().Where(c => !char.IsWhiteSpace(c)).ToArray());

    private static int ChineseDigits(string text)
    {
        const string digits = "零一二三四五六七八九";
        if (text == "两")
        {
            return 2;
        }

        var ten = text.IndexOf('十', StringComparison.Ordinal);
        if (ten < 0)
        {
            return digits.IndexOf(text[0], StringComparison.Ordinal);
        }

        var tens = ten == 0 ? 1 : digits.IndexOf(text[0], StringComparison.Ordinal);
        var ones = ten == text.Length - 1 ? 0 : digits.IndexOf(text[^1], StringComparison.Ordinal);
        return (tens * 10) + ones;
    }

    [GeneratedRegex(@"(?<y>20\d\d)[-/.年](?<m>\d{1,2})", RegexOptions.CultureInvariant)]
    private static partial Regex DateMonth();

    [GeneratedRegex(@"[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九两]", RegexOptions.CultureInvariant)]
    private static partial Regex ChineseNumber();

    [GeneratedRegex(@"(?<n>\d+(\.\d+)?)(?<u>个月|月|months?|mos?|年|years?|yrs?|周|星期|weeks?|wks?|天|日|days?)?", RegexOptions.CultureInvariant)]
    private static partial Regex Amount();
}
