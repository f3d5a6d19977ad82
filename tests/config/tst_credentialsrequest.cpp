#include "aws/config/credentialsrequest.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>

using namespace pagewise;

namespace
{

Credentials sampleCredentials()
{
    Credentials credentials;
    credentials.accessKeyId = QStringLiteral("AKIDSAMPLE");
    credentials.secretAccessKey = QStringLiteral("secret");
    credentials.source = QStringLiteral("test");
    return credentials;
}

} // namespace

class tst_CredentialsRequest : public QObject
{
    Q_OBJECT

private slots:
    void finishesOnceThenGoes();
    void withdrawalIsHeardOnce_data();
    void withdrawalIsHeardOnce();
    void receiverMayDeleteTheRequest();
};

void tst_CredentialsRequest::finishesOnceThenGoes()
{
    int withdrawals = 0;
    QPointer<CredentialsRequest> request = new CredentialsRequest;
    request->setWithdrawHandler([&withdrawals] { ++withdrawals; });
    QSignalSpy finished(request.data(), &CredentialsRequest::finished);
    QVERIFY(finished.isValid());
    QStringList keys;
    connect(request, &CredentialsRequest::finished, this,
        [&keys](const Result<Credentials> &result) { keys << result.value().accessKeyId; });

    request->finish(sampleCredentials());
    QVERIFY(request->isFinished());
    request->finish(sampleCredentials());
    request->cancel(); // too late: it has answered

    QCOMPARE(finished.size(), 1);
    QCOMPARE(keys, QStringList {QStringLiteral("AKIDSAMPLE")});
    QCOMPARE(withdrawals, 0);
    QTRY_VERIFY(request.isNull()); // deletes itself
    QCOMPARE(withdrawals, 0);
}

void tst_CredentialsRequest::withdrawalIsHeardOnce_data()
{
    QTest::addColumn<bool>("cancelFirst");
    QTest::addRow("cancel()") << true;
    QTest::addRow("deleted") << false;
}

void tst_CredentialsRequest::withdrawalIsHeardOnce()
{
    QFETCH(bool, cancelFirst);
    int withdrawals = 0;
    QObject parent;
    QPointer<CredentialsRequest> request = new CredentialsRequest(&parent);
    request->setWithdrawHandler([&withdrawals] { ++withdrawals; });
    QSignalSpy finished(request.data(), &CredentialsRequest::finished);

    if (cancelFirst) {
        request->cancel();
        request->cancel();
        request->finish(sampleCredentials()); // the provider's answer comes too late
        QTRY_VERIFY(request.isNull());
    } else {
        delete request;
    }
    QCOMPARE(withdrawals, 1);
    QCOMPARE(finished.size(), 0);
}

void tst_CredentialsRequest::receiverMayDeleteTheRequest()
{
    QObject parent;
    QPointer<CredentialsRequest> request = new CredentialsRequest(&parent);
    bool heard = false;
    connect(request, &CredentialsRequest::finished, this, [&heard, &request] {
        heard = true;
        delete request;
    });
    request->finish(sampleCredentials());
    QVERIFY(heard);
    QVERIFY(request.isNull());
}

QTEST_GUILESS_MAIN(tst_CredentialsRequest)
#include "tst_credentialsrequest.moc"
