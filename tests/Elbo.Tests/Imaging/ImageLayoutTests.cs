using Elbo.Imaging;

namespace Elbo.Tests.Imaging;

public class ImageLayoutTests
{
    [Fact]
    public void BesidePlacesImagesLeftToRightWithAGap()
    {
        var grey = new Image([10, 20, 30, 40], 2, 2, 1);
        var rgb = new Image([1, 2, 3], 1, 1, 3);
        var both = ImageLayout.Beside([grey, rgb], gap: 3, background: 200);
        Assert.Equal((6, 2, 3), (both.Width, both.Height, both.Channels));
        Assert.Equal(10, both[0, 0, 2]);    // grey widened to RGB
        Assert.Equal(40, both[1, 1, 0]);
        Assert.Equal(200, both[2, 0]);      // gap
        Assert.Equal(3, both[5, 0, 2]);
        Assert.Equal(200, both[5, 1, 1]);   // below the shorter image
    }
}
