using System.Globalization;
using Elbo.Evaluation;

namespace Elbo.Tests.Evaluation;

public class LatentCsvTests
{
    [Fact]
    public void CsvHasHeaderOneRowPerExampleAndValuesThatParseBackExactly()
    {
        float[] mu = [0.1f, 1f / 3f, -2.5e-8f, 123456.78f];
        float[] logVar = [-0.7f, float.Epsilon, 3.3333333f, -1e10f];
        var codes = LatentCodes.Gaussian(mu, logVar, [7, -1], 2);
        string path = Path.Combine(Path.GetTempPath(), $"elbo-csv-{Guid.NewGuid():N}.csv");
        try
        {
            LatentCsv.Write(path, codes);
            var lines = File.ReadAllLines(path);
            Assert.Equal("index,label,mu_0,mu_1,logvar_0,logvar_1", lines[0]);
            Assert.Equal(3, lines.Length);
            for (int i = 0; i < 2; i++)
            {
                var cells = lines[i + 1].Split(',');
                Assert.Equal(i.ToString(CultureInfo.InvariantCulture), cells[0]);
                Assert.Equal(codes.Labels[i], int.Parse(cells[1], CultureInfo.InvariantCulture));
                for (int u = 0; u < 2; u++)
                {
                    Assert.Equal(mu[i * 2 + u], float.Parse(cells[2 + u], CultureInfo.InvariantCulture));
                    Assert.Equal(logVar[i * 2 + u], float.Parse(cells[4 + u], CultureInfo.InvariantCulture));
                }
            }
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AutoencoderCodesHaveNoLogVarColumns()
    {
        var writer = new StringWriter();
        LatentCsv.Write(writer, LatentCodes.PointMass([1f, 2f], [3], 2));
        Assert.Equal("index,label,mu_0,mu_1\n0,3,1,2\n", writer.ToString());
    }
}
