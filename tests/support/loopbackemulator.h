#pragma once

// What the tests that talk to the in-process emulator share: its example keys, a small catalogue,
// a connection and client signed for it, Paginators over that client, and the emulator itself on
// a loopback port.

#include "aws/config/connection.h"
#include "emulator/emulator.h"
#include "paging/pagefetcher.h"

#include <QUrl>

#include <memory>

namespace pagewise
{
class AwsClient;
} // namespace pagewise

namespace pagewise::testsupport
{

/// AWS's documented example key pair, which the emulator accepts unless configured otherwise;
/// with a session token as temporary credentials carry one.
Credentials exampleCredentials(bool withSessionToken = false);

/// Sizes of a small generated catalogue with one farm holding one queue of two jobs, so that every
/// parent is reachable through the catalog's first entries.
struct SmallCatalog {
    int images = 0;
    int datasetGroups = 0;
    int datasets = 0;
    int sessions = 0;
};
EmulatorConfig smallEmulatorConfig(const SmallCatalog &sizes);

/// A connection to `endpoint` with `credentials`, trying each call at most maxAttempts times
/// (1 lets every fault through to the caller).
Connection loopbackConnection(
    const QUrl &endpoint, int maxAttempts = 3, Credentials credentials = exampleCredentials());

/// An AwsClient over loopbackConnection() that retries at once, without backoff delays.
std::unique_ptr<AwsClient> loopbackClient(
    const QUrl &endpoint, int maxAttempts = 3, Credentials credentials = exampleCredentials());

/// Paginators over `client` for the kind each query names; nullptr for an unknown kind.
PageFetcherFactory paginatorFactory(AwsClient *client);

/// The emulator in this process, serving from the calling thread on a free port of 127.0.0.1
/// only, so that a test can never reach anything but loopback.
class LoopbackEmulator
{
public:
    explicit LoopbackEmulator(EmulatorConfig config);

    /// Starts listening; false and *error when it cannot.
    bool start(QString *error);

    Emulator &emulator() { return m_emulator; }
    const Emulator &emulator() const { return m_emulator; }
    QUrl url() const { return m_emulator.url(); }

    /// A client signed with the emulator's own keys; see loopbackClient().
    std::unique_ptr<AwsClient> client(int maxAttempts = 3) const;

private:
    Emulator m_emulator;
};

} // namespace pagewise::testsupport
