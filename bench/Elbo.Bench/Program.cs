Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Elbo.Bench -- <benchmark>");
return 2;
