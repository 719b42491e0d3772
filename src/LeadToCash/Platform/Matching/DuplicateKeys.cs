using System.Globalization;
using System.Text;

namespace LeadToCash.Platform.Matching;

/// <summary>
/// The normalised forms that the duplicate check (查重) compares, so that "+86 138-0013-8000" and "13800138000",
/// "Sales@ACME.cn" and "sales@acme.cn", "上海华信（集团）有限公司" and "上海华信集团" count as the same.
/// Pure functions; leads, customers and imports all compare through them.
/// </summary>
public static class DuplicateKeys
{
    // Longest first, so that 股份有限公司 goes before 有限公司.
    private static readonly string[] ChineseSuffixes =
        ["股份有限公司", "有限责任公司", "集团有限公司", "集团股份公司", "有限公司", "股份公司", "集团公司", "公司"];

    private static readonly HashSet<string> EnglishSuffixes =
        ["co", "company", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "llc", "plc", "gmbh", "group"];

    /// <summary>
    /// Digits only, without the country code of mainland China (+86 / 0086 / 86 before an 11-digit mobile) and
    /// without an extension (转 / ext / x); null when nothing dialable is left.
    /// </summary>
    public static string? Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var text = phone.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        foreach (var marker in new[] { "转", "ext", "x", "#" })
        {
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at > 0)
            {
                text = text[..at];
            }
        }

        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (digits.StartsWith("0086", StringComparison.Ordinal))
        {
            digits = digits[4..];
        }
        else if (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal) && digits[2] == '1')
        {
            digits = digits[2..];
        }

        return digits.Length >= 5 ? digits : null;
    }

    /// <summary>Trimmed and lower-cased (full-width characters folded); null when it is not an address at all.</summary>
    public static string? Email(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var text = email.Normalize(NormalizationForm.FormKC).Trim().ToLowerInvariant();
        return text.Contains('@', StringComparison.Ordinal) && !text.Contains(' ', StringComparison.Ordinal) ? text : null;
    }

    /// <summary>
    /// The company name without width, case, spacing, punctuation or legal-form differences; null when nothing is
    /// left (a name that is only a legal form says nothing about which company it is).
    /// </summary>
    public static string? Company(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var text = name.Normalize(NormalizationForm.FormKC).ToLowerInvariant();

        // Latin words: drop trailing legal forms (", Co., Ltd.", " Inc.").
        var words = text.Split([' ', ',', '.', '(', ')', '&', '-', '/', '·', '、', '，', '。'], StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && EnglishSuffixes.Contains(words[^1]))
        {
            words.RemoveAt(words.Count - 1);
        }

        var compact = new StringBuilder();
        foreach (var ch in string.Concat(words))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (char.IsLetterOrDigit(ch) && category != UnicodeCategory.OtherPunctuation)
            {
                compact.Append(ch);
            }
        }

        var key = compact.ToString();
        if (ChineseSuffixes.Contains(key))
        {
            return null;
        }

        for (var stripped = true; stripped;)
        {
            stripped = false;
            foreach (var suffix in ChineseSuffixes)
            {
                if (key.Length > suffix.Length && key.EndsWith(suffix, StringComparison.Ordinal))
                {
                    key = key[..^suffix.Length];
                    stripped = true;
                    break;
                }
            }
        }

        return key.Length > 0 ? key : null;
    }
}
