// Replays a fuzz target's inputs without libFuzzer, so the regular (gcc, sanitizer) builds run
// every seed through the same invariants: `fuzz_x FILE_OR_DIR...`.
#include <algorithm>
#include <memory>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace
{

bool runFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s: %s\n", qPrintable(path), qPrintable(file.errorString()));
        return false;
    }
    const QByteArray bytes = file.readAll();
    // A copy of exactly the input's size, so out-of-bounds reads reach AddressSanitizer.
    std::unique_ptr<uint8_t[]> copy(new uint8_t[size_t(bytes.size())]);
    std::copy(bytes.cbegin(), bytes.cend(), copy.get());
    LLVMFuzzerTestOneInput(copy.get(), size_t(bytes.size()));
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    int inputs = 0;
    int failures = 0;
    for (int i = 1; i < argc; ++i) {
        const QString argument = QFile::decodeName(argv[i]);
        QStringList paths;
        if (QFileInfo(argument).isDir()) {
            const QDir dir(argument);
            for (const QString &name : dir.entryList(QDir::Files, QDir::Name))
                paths << dir.filePath(name);
        } else {
            paths << argument;
        }
        for (const QString &path : std::as_const(paths)) {
            ++inputs;
            if (!runFile(path))
                ++failures;
        }
    }
    if (inputs == 0) {
        std::fprintf(stderr, "usage: %s FILE_OR_DIRECTORY... (no inputs found)\n", argv[0]);
        return 2;
    }
    std::printf("%d inputs replayed, %d unreadable\n", inputs, failures);
    return failures == 0 ? 0 : 1;
}
