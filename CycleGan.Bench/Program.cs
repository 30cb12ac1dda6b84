using CycleGan.Bench;

return BenchApp.Run(args);
