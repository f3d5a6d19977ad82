#pragma once

#include <cstdio>
#include <cstdlib>

// An invariant of a fuzz target. A failure prints where and aborts, which libFuzzer reports as a
// crash (and saves the input) and the corpus replay reports as a failed test. Q_ASSERT would be
// compiled out of release builds.
#define FUZZ_CHECK(condition)                                                                                          \
    do {                                                                                                               \
        if (!(condition)) {                                                                                            \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition);                     \
            std::abort();                                                                                              \
        }                                                                                                              \
    } while (false)
