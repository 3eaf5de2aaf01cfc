namespace Elbo.Data.Tables;

/// <summary>Where a column sits in an encoded row: values [<paramref name="Offset"/>, <paramref name="Offset"/> +
/// <paramref name="Width"/>) of the row belong to column <paramref name="Name"/>, encoded as <paramref name="Kind"/>
/// (numeric: width 1, standardized; categorical: width = number of categories, one-hot; boolean: width 1, 0 or 1).
/// A likelihood applies one term per record over its slice.</summary>
public readonly record struct EncodedColumn(string Name, TableColumnType Kind, int Offset, int Width);
