using Elbo.Data;
using Elbo.Data.Tables;

namespace Elbo.Server.Inputs;

/// <summary>The examples of a request, ready for the model: a <see cref="Dataset"/> of the run's shape with one label
/// per example, and for a table the rows in the file's units (as sent, or as the test split's file holds them).</summary>
/// <param name="Data">The examples as the model takes them.</param>
/// <param name="Rows">A table's rows in original units; null for other data.</param>
internal sealed record ExampleBatch(Dataset Data, Table? Rows);
