#include "exportcommand.h"

#include <cstdio>

namespace pagewise {

int runExportCommand(int, char *[])
{
    std::fputs("pagewise export: not implemented yet\n", stderr);
    return 2;
}

} // namespace pagewise
