// Nearly every test here drives the real command-line app, which writes through the process-wide Console and
// Spectre's single live display (two `run`s at once throw "interactive functions concurrently"), and several swap
// Console.In/Out/Error to read what a command printed. Test classes therefore run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
