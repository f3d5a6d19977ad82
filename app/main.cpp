// Entry point of `pagewise`. The headless `pagewise export` runs here, in a program that links Qt
// Core and Network only: loading the GUI libraries too would triple its start-up (about 11 ms
// against 4), paid by every call from a shell loop. Anything else is the window: this process
// becomes `pagewise-gui`, installed next to it, with the same arguments.
#include "cli/exportcommand.h"

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace
{

/// pagewise-gui in this program's own directory; found through PATH when that cannot be read.
std::string windowProgram()
{
    char self[PATH_MAX];
    const ssize_t length = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (length <= 0)
        return "pagewise-gui";
    std::string path(self, size_t(length));
    return path.substr(0, path.rfind('/') + 1) + "pagewise-gui";
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc > 1 && std::strcmp(argv[1], "export") == 0)
        return pagewise::runExportCommand(argc, argv);

    // argv[0] stays as typed, so that --help names the program the user ran.
    const std::string program = windowProgram();
    std::vector<char *> arguments(argv, argv + argc + 1);
    ::execvp(program.c_str(), arguments.data());
    std::fprintf(stderr, "pagewise: cannot start the window program %s: %s\n", program.c_str(), std::strerror(errno));
    return 1;
}
