#pragma once

namespace pagewise
{

/// `pagewise export <kind> [options]`: lists a kind headlessly and writes CSV or JSON.
/// argv[0] is the program, argv[1] is "export". Runs its own QCoreApplication.
/// Returns the process exit status: 0 success, 1 AWS or network error, 2 bad arguments.
int runExportCommand(int argc, char *argv[]);

} // namespace pagewise
