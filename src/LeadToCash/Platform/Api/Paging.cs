using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Api;

/// <summary>The one list contract: <c>?limit=&amp;cursor=&amp;sort=</c> in, this out.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? NextCursor, int Count, bool CountCapped);

public sealed record ListRequest(int? Limit = null, string? Cursor = null, string? Sort = null)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Lists count exactly up to this many rows, then answer "cap+" (CountCapped = true).</summary>
    public const int CountCap = 1000;

    public int EffectiveLimit => Limit ?? DefaultLimit;
}

/// <summary>A sortable field of a list: its query-string name and the expression it sorts by.</summary>
public sealed record SortField<T>(string Name, LambdaExpression Key);

/// <summary>Keyset (cursor) paging over any sort field, with the record id as tie-breaker.</summary>
public static class Keyset
{
    public static SortField<T> Field<T, TKey>(string name, Expression<Func<T, TKey>> key) => new(name, key);

    /// <param name="countIds">
    /// When given, the ids of exactly the rows of <paramref name="query"/>, cheaper to count than the query itself (see
    /// <see cref="Data.AppDbContext.VisibleIdsWithin{T}"/>); the count is taken from them.
    /// </param>
    public static async Task<ListPage<TOut>> PageAsync<T, TOut>(
        IQueryable<T> query,
        ListRequest request,
        IReadOnlyList<SortField<T>> sortFields,
        Expression<Func<T, Guid>> id,
        Expression<Func<T, TOut>> projection,
        CancellationToken ct,
        IQueryable<Guid>? countIds = null)
    {
        if (request.Limit is < 1 or > ListRequest.MaxLimit)
        {
            throw Invalid("limit", $"limit must be between 1 and {ListRequest.MaxLimit}.");
        }

        var sortText = string.IsNullOrWhiteSpace(request.Sort) ? sortFields[0].Name : request.Sort.Trim();
        var descending = sortText.StartsWith('-');
        var sortName = sortText.TrimStart('-', '+');
        var field = sortFields.FirstOrDefault(f => string.Equals(f.Name, sortName, StringComparison.OrdinalIgnoreCase))
            ?? throw Invalid("sort", $"sort must be one of: {string.Join(", ", sortFields.Select(f => f.Name))} (prefix - for descending).");

        var page = query;
        if (!string.IsNullOrEmpty(request.Cursor))
        {
            var (lastKey, lastId) = DecodeCursor(request.Cursor, field.Key.ReturnType);
            page = page.Where(After<T>(field.Key, id, lastKey, lastId, descending));
        }

        page = Order(page, field.Key, descending);
        page = descending
            ? ((IOrderedQueryable<T>)page).ThenByDescending(id)
            : ((IOrderedQueryable<T>)page).ThenBy(id);

        // One query projects each row with its sort key and id, so only the listed columns are read and the
        // cursor comes from the same row.
        var limit = request.EffectiveLimit;
        var rows = await page.Select(WithKeys(projection, field.Key, id)).Take(limit + 1).ToListAsync(ct);
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            next = EncodeCursor(rows[^1].Key, rows[^1].Id);
        }

        // A first page that holds every match is its own count.
        var count = string.IsNullOrEmpty(request.Cursor) && next is null ? rows.Count
            : countIds is not null ? await countIds.Take(ListRequest.CountCap + 1).CountAsync(ct)
            : await query.Take(ListRequest.CountCap + 1).CountAsync(ct);

        return new ListPage<TOut>(rows.Select(r => r.Item).ToList(), next,
            Math.Min(count, ListRequest.CountCap), count > ListRequest.CountCap);
    }

    private sealed class KeyedRow<TOut>(TOut item, object? key, Guid id)
    {
        public TOut Item { get; } = item;

        public object? Key { get; } = key;

        public Guid Id { get; } = id;
    }

    private static Expression<Func<T, KeyedRow<TOut>>> WithKeys<T, TOut>(Expression<Func<T, TOut>> projection,
        LambdaExpression key, Expression<Func<T, Guid>> id)
    {
        var row = Expression.Parameter(typeof(T), "row");
        var constructor = typeof(KeyedRow<TOut>).GetConstructors().Single();
        var body = Expression.New(constructor,
            new Rebind(projection.Parameters[0], row).Visit(projection.Body),
            Expression.Convert(new Rebind(key.Parameters[0], row).Visit(key.Body), typeof(object)),
            new Rebind(id.Parameters[0], row).Visit(id.Body));
        return Expression.Lambda<Func<T, KeyedRow<TOut>>>(body, row);
    }

    private static IQueryable<T> Order<T>(IQueryable<T> query, LambdaExpression key, bool descending)
    {
        var method = descending ? nameof(Queryable.OrderByDescending) : nameof(Queryable.OrderBy);
        var call = Expression.Call(typeof(Queryable), method, [typeof(T), key.ReturnType], query.Expression,
            Expression.Quote(key));
        return query.Provider.CreateQuery<T>(call);
    }

    // key >= last AND (key > last OR id > lastId), reversed for descending order. The same rows as
    // "key > last OR (key = last AND id > lastId)", but the leading range lets PostgreSQL start the index scan at the
    // cursor instead of walking the index from its first entry (a page 50,000 rows deep read 50,000 entries).
    private static Expression<Func<T, bool>> After<T>(LambdaExpression key, Expression<Func<T, Guid>> id,
        object? lastKey, Guid lastId, bool descending)
    {
        var row = Expression.Parameter(typeof(T), "row");
        var keyBody = new Rebind(key.Parameters[0], row).Visit(key.Body);
        var idBody = new Rebind(id.Parameters[0], row).Visit(id.Body);
        var keyValue = Constant(lastKey, key.ReturnType);
        var idValue = Constant(lastId, typeof(Guid));

        var keyReached = Compare(keyBody, keyValue, descending, orEqual: true);
        var keyBeyond = Compare(keyBody, keyValue, descending);
        var idBeyond = Compare(idBody, idValue, descending);
        var body = Expression.AndAlso(keyReached, Expression.OrElse(keyBeyond, idBeyond));
        return Expression.Lambda<Func<T, bool>>(body, row);
    }

    private static BinaryExpression Compare(Expression left, Expression right, bool descending, bool orEqual = false)
    {
        if (left.Type == typeof(string) || left.Type == typeof(Guid))
        {
            // string.Compare and Guid.CompareTo translate to plain SQL comparisons on both providers.
            var compare = left.Type == typeof(string)
                ? Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, left, right)
                : Expression.Call(left, typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!, right);
            left = compare;
            right = Expression.Constant(0);
        }

        return (descending, orEqual) switch
        {
            (true, false) => Expression.LessThan(left, right),
            (true, true) => Expression.LessThanOrEqual(left, right),
            (false, false) => Expression.GreaterThan(left, right),
            (false, true) => Expression.GreaterThanOrEqual(left, right),
        };
    }

    // Wrapped in a closure so that EF Core sends the value as a parameter, not as SQL text.
    private static MemberExpression Constant(object? value, Type type)
    {
        var holder = typeof(ValueHolder<>).MakeGenericType(type);
        var instance = Activator.CreateInstance(holder, value)!;
        return Expression.Property(Expression.Constant(instance), "Value");
    }

    private sealed class ValueHolder<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }

    internal static string EncodeCursor(object? key, Guid id)
    {
        var keyText = key switch
        {
            null => null,
            DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("O", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => key.ToString(),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(new[] { keyText, id.ToString() });
        return WebEncoders.Base64UrlEncode(json);
    }

    internal static (object? Key, Guid Id) DecodeCursor(string cursor, Type keyType)
    {
        try
        {
            var parts = JsonSerializer.Deserialize<string?[]>(Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(cursor)));
            if (parts is not { Length: 2 } || !Guid.TryParse(parts[1], out var id))
            {
                throw Invalid("cursor", "cursor is not one this list gave out.");
            }

            var underlying = Nullable.GetUnderlyingType(keyType) ?? keyType;
            object? key = parts[0] is null ? null
                : underlying == typeof(string) ? parts[0]
                : underlying == typeof(DateTime) ? DateTime.Parse(parts[0]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
                : underlying == typeof(Guid) ? Guid.Parse(parts[0]!)
                : underlying == typeof(DateOnly) ? DateOnly.ParseExact(parts[0]!, "O", CultureInfo.InvariantCulture)
                : Convert.ChangeType(parts[0], underlying, CultureInfo.InvariantCulture);
            return (key, id);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or InvalidCastException)
        {
            throw Invalid("cursor", "cursor is not one this list gave out.");
        }
    }

    private static ValidationException Invalid(string field, string message) =>
        new([new ValidationFailure(field, message)]);

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
