#include "aws/config/configfile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace pagewise;

namespace
{

// One line per file: "[section] key=value key={nested=1,other=2} [next] ...", keys sorted,
// newlines inside values written as \n; "error" when the file is rejected. The same shape as
// the Python dump below, so the parser can be compared with botocore's.
QString dump(const ConfigFile &file)
{
    if (file.hasError())
        return QStringLiteral("error");
    QStringList out;
    for (const QString &name : file.sectionNames()) {
        out << QLatin1Char('[') + name + QLatin1Char(']');
        const ConfigSection section = file.section(name);
        QStringList keys = section.keys();
        std::sort(keys.begin(), keys.end());
        for (const QString &key : std::as_const(keys)) {
            const ConfigEntry entry = section.value(key);
            if (entry.isSubsection) {
                QStringList nested = entry.subsection.keys();
                std::sort(nested.begin(), nested.end());
                for (QString &name : nested)
                    name += QLatin1Char('=') + entry.subsection.value(name);
                out << key + QStringLiteral("={") + nested.join(QLatin1Char(',')) + QLatin1Char('}');
            } else {
                out << key + QLatin1Char('=') + QString(entry.value).replace(QLatin1Char('\n'), QLatin1String("\\n"));
            }
        }
    }
    return out.join(QLatin1Char(' '));
}

const char *pythonDump = R"PY(
import base64, json, os, sys, tempfile
import botocore.configloader as loader
import botocore.exceptions as errors

def dump(data):
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(data)
    try:
        parsed = loader.raw_config_parse(f.name)
    except errors.ConfigParseError:
        return 'error'
    finally:
        os.unlink(f.name)
    out = []
    for section, values in parsed.items():
        out.append('[%s]' % section)
        for key in sorted(values):
            value = values[key]
            if isinstance(value, dict):
                out.append('%s={%s}' % (key, ','.join('%s=%s' % (k, value[k]) for k in sorted(value))))
            else:
                out.append('%s=%s' % (key, value.replace('\n', '\\n')))
    return ' '.join(out)

cases = json.load(open(sys.argv[1]))
json.dump([dump(base64.b64decode(case)) for case in cases], sys.stdout)
)PY";

} // namespace

class tst_ConfigFile : public QObject
{
    Q_OBJECT

private slots:
    void parsesAsBotocore_data();
    void parsesAsBotocore();
    void errorsNameFileAndLine_data();
    void errorsNameFileAndLine();
    void errorsNeverRepeatTheLine();
    void skipsByteOrderMark();
    void readsOnlyRegularFiles();
    void rejectsHugeFiles();
    void survivesGarbage();
    void matchesBotocoreOnGeneratedFiles();
    void splitsLikeShlex_data();
    void splitsLikeShlex();
};

void tst_ConfigFile::parsesAsBotocore_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");

    // Expected values are what botocore 1.43's configloader.raw_config_parse returns.
    QTest::addRow("empty file") << QByteArray() << QString();
    QTest::addRow("spaces around =") << QByteArray("[default]\nregion = us-east-1\n")
                                     << QStringLiteral("[default] region=us-east-1");
    QTest::addRow("no spaces, colon, keys lower-cased") << QByteArray("[default]\nRegion=us-east-1\nKEY : v = w\n")
                                                        << QStringLiteral("[default] key=v = w region=us-east-1");
    QTest::addRow("nothing stripped inline, whole-line comments dropped")
        << QByteArray("[default]\nregion = us-east-1 ; comment\n# full\n  ; indented comment\nx = a #b\n")
        << QStringLiteral("[default] region=us-east-1 ; comment x=a #b");
    QTest::addRow("subsections keep nested key case")
        << QByteArray("[s]\nsagemaker =\n  endpoint_url = http://x\n  Other = 1\n\n  more = 2\npersonalize =\n    "
                      "endpoint_url=http://y\n")
        << QStringLiteral("[s] personalize={endpoint_url=http://y} sagemaker={Other=1,endpoint_url=http://x,more=2}");
    QTest::addRow("later nested key wins")
        << QByteArray("[s]\nx =\n  a = 1\n  a = 2\n") << QStringLiteral("[s] x={a=2}");
    QTest::addRow("nested value may contain =")
        << QByteArray("[s]\nx =\n  u = http://h/?a=b\n") << QStringLiteral("[s] x={u=http://h/?a=b}");
    QTest::addRow("DEFAULT inherited") << QByteArray("[DEFAULT]\nregion = r\n[a]\n[b]\nregion = own\n")
                                       << QStringLiteral("[a] region=r [b] region=own");
    QTest::addRow("DEFAULT alone gives nothing") << QByteArray("[DEFAULT]\nregion = r\n") << QString();
    QTest::addRow("continuation lines") << QByteArray("[a]\nk = 1\n  continued\n\n  again\n")
                                        << QStringLiteral("[a] k=1\\ncontinued\\n\\nagain");
    QTest::addRow("trailing blank lines dropped")
        << QByteArray("[a]\nk = 1\n\n\n\nj = 2\n") << QStringLiteral("[a] j=2 k=1");
    QTest::addRow("indented header, key less indented") << QByteArray("  [a]  \n k = v\n") << QStringLiteral("[a] k=v");
    QTest::addRow("text after header ignored") << QByteArray("[a] trailing\nk=v\n") << QStringLiteral("[a] k=v");
    QTest::addRow("header up to last ]") << QByteArray("[a]b]\nk=v\n") << QStringLiteral("[a]b] k=v");
    QTest::addRow("header spaces kept") << QByteArray("[ profile x ]\nk=v\n") << QStringLiteral("[ profile x ] k=v");
    QTest::addRow("CRLF and CR line ends") << QByteArray("[a]\nk=v\r\nj=w\rl=m\n") << QStringLiteral("[a] j=w k=v l=m");
    QTest::addRow("tab indentation") << QByteArray("[a]\n\tk = v\n\t  cont\n") << QStringLiteral("[a] k=v\\ncont");
    QTest::addRow("comment inside continuation")
        << QByteArray("[a]\nk=v\n # c\n  x\n") << QStringLiteral("[a] k=v\\nx");
    QTest::addRow("first delimiter splits") << QByteArray("[a]\nk:=v\n") << QStringLiteral("[a] k==v");
    QTest::addRow("empty value") << QByteArray("[a]\nk =\n") << QStringLiteral("[a] k=");
    QTest::addRow("utf-8 text") << QByteArray("[pröfile]\nnäme = wert\n") << QStringLiteral("[pröfile] näme=wert");
    QTest::addRow("section then same name in other case")
        << QByteArray("[a]\nk=1\n[A]\nk=2\n") << QStringLiteral("[a] k=1 [A] k=2");
}

void tst_ConfigFile::parsesAsBotocore()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    const ConfigFile file = ConfigFile::parse(text, QStringLiteral("config"));
    QVERIFY2(!file.hasError(), qPrintable(file.errorString()));
    QCOMPARE(dump(file), expected);
}

void tst_ConfigFile::errorsNameFileAndLine_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("explains");

    // Every one of these is a ConfigParseError in botocore.
    QTest::addRow("key before any section") << QByteArray("\nregion = x\n") << 2 << QStringLiteral("[default]");
    QTest::addRow("duplicate section") << QByteArray("[a]\n[b]\n[a]\n") << 3 << QStringLiteral("second time");
    QTest::addRow("duplicate key") << QByteArray("[a]\nk=1\nK=2\n") << 3 << QStringLiteral("line 2");
    QTest::addRow("line without delimiter") << QByteArray("[a]\nk=1\nnodelim\n") << 3 << QStringLiteral("key = value");
    QTest::addRow("missing key") << QByteArray("[a]\n=v\n") << 2 << QStringLiteral("key name is missing");
    QTest::addRow("empty header") << QByteArray("[a]\n[]\n") << 2 << QStringLiteral("key = value");
    QTest::addRow("subsection line without =")
        << QByteArray("[a]\nk =\n  one = 1\n  novalue\n") << 4 << QStringLiteral("subsection");
    QTest::addRow("bad subsection inherited from DEFAULT")
        << QByteArray("[DEFAULT]\nk =\n  x\n[a]\n") << 3 << QStringLiteral("subsection");
    QTest::addRow("invalid UTF-8") << QByteArray("[a]\nk=1\r\nv = \xff\xfe\n") << 3 << QStringLiteral("UTF-8");
    QTest::addRow("overlong UTF-8") << QByteArray("[a]\nk = \xc0\xaf\n") << 2 << QStringLiteral("UTF-8");
}

void tst_ConfigFile::errorsNameFileAndLine()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, explains);
    const ConfigFile file = ConfigFile::parse(text, QStringLiteral("/home/me/.aws/config"));
    QVERIFY(file.hasError());
    QCOMPARE(file.errorLine(), line);
    QVERIFY2(file.errorString().startsWith(QStringLiteral("/home/me/.aws/config, line %1: ").arg(line)),
        qPrintable(file.errorString()));
    QVERIFY2(file.errorString().contains(explains), qPrintable(file.errorString()));
    QVERIFY(file.sectionNames().isEmpty());
}

void tst_ConfigFile::errorsNeverRepeatTheLine()
{
    const QByteArray secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const QList<QByteArray> texts = {
        "aws_secret_access_key = " + secret + "\n[default]\n",
        "[default]\n" + secret + "\n",
        "[default]\n" + secret + " = 1\n" + secret + " = 2\n",
        "[" + secret + "]\n[" + secret + "]\n",
        "[default]\nk =\n  " + secret + "\n",
    };
    for (const QByteArray &text : texts) {
        const ConfigFile file = ConfigFile::parse(text, QStringLiteral("credentials"));
        QVERIFY(file.hasError());
        QVERIFY2(!file.errorString().contains(QLatin1String(secret)), qPrintable(file.errorString()));
        QVERIFY2(!file.errorString().contains(QLatin1String("wJalrXUtnFEMI")), qPrintable(file.errorString()));
    }
}

void tst_ConfigFile::skipsByteOrderMark()
{
    const ConfigFile file = ConfigFile::parse(QByteArray("\xEF\xBB\xBF[default]\nregion = eu-west-1\n"), QString());
    QVERIFY2(!file.hasError(), qPrintable(file.errorString()));
    QCOMPARE(
        file.section(QStringLiteral("default")).value(QStringLiteral("region")).value, QStringLiteral("eu-west-1"));
}

void tst_ConfigFile::readsOnlyRegularFiles()
{
    QTemporaryDir dir;
    const ConfigFile missing = ConfigFile::read(dir.filePath(QStringLiteral("nothing")));
    QVERIFY(!missing.exists());
    QVERIFY(!missing.hasError());

    const ConfigFile directory = ConfigFile::read(dir.path());
    QVERIFY(!directory.exists());
    QVERIFY(!directory.hasError());

    const ConfigFile device = ConfigFile::read(QStringLiteral("/dev/zero"));
    QVERIFY(!device.exists());
    QVERIFY(!device.hasError());

    QFile file(dir.filePath(QStringLiteral("config")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[default]\nregion = us-west-2\n");
    file.close();
    const ConfigFile read = ConfigFile::read(file.fileName());
    QVERIFY(read.exists());
    QVERIFY(!read.hasError());
    QCOMPARE(read.fileName(), file.fileName());
    QCOMPARE(
        read.section(QStringLiteral("default")).value(QStringLiteral("region")).value, QStringLiteral("us-west-2"));
    QCOMPARE(read.section(QStringLiteral("default")).value(QStringLiteral("region")).line, 2);
}

void tst_ConfigFile::rejectsHugeFiles()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("config")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(ConfigFile::maxFileSize + 1));
    file.close();
    const ConfigFile read = ConfigFile::read(file.fileName());
    QVERIFY(read.exists());
    QVERIFY(read.hasError());
    QVERIFY2(read.errorString().contains(file.fileName()), qPrintable(read.errorString()));
}

void tst_ConfigFile::survivesGarbage()
{
    // Random bytes and adversarial shapes: parse must return (error or not) without crashing.
    QRandomGenerator random(20240501);
    for (int round = 0; round < 300; ++round) {
        QByteArray bytes(random.bounded(1, 400), Qt::Uninitialized);
        for (char &byte : bytes)
            byte = char(random.bounded(256));
        const ConfigFile file = ConfigFile::parse(bytes, QStringLiteral("fuzz"));
        const int lines = int(bytes.count('\n') + bytes.count('\r')) + 1;
        if (file.hasError()) {
            QVERIFY(file.errorLine() >= 1 && file.errorLine() <= lines);
            QVERIFY(file.sectionNames().isEmpty());
        }
    }
    // Many sections times many DEFAULT keys stays linear.
    QByteArray big = "[DEFAULT]\n";
    for (int i = 0; i < 20000; ++i)
        big += "k" + QByteArray::number(i) + "=v\n";
    for (int i = 0; i < 20000; ++i)
        big += "[s" + QByteArray::number(i) + "]\n";
    const ConfigFile file = ConfigFile::parse(big, QStringLiteral("big"));
    QVERIFY(!file.hasError());
    QCOMPARE(file.sectionNames().size(), 20000);
    QCOMPARE(file.section(QStringLiteral("s19999")).size(), 20000);
}

void tst_ConfigFile::matchesBotocoreOnGeneratedFiles()
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        QSKIP("python3 is not installed: cannot compare with botocore's configloader");
    if (QProcess::execute(python, {QStringLiteral("-c"), QStringLiteral("import botocore.configloader")}) != 0)
        QSKIP("botocore is not installed for python3: cannot compare with its configloader");

    // Files made of plausible lines (headers, keys with every delimiter style, indented
    // continuations and subsections, comments, blank lines, odd whitespace and line ends), and
    // soups of the characters that matter to the grammar.
    QRandomGenerator random(7);
    auto pick = [&random](const QList<QByteArray> &from) { return from[random.bounded(int(from.size()))]; };
    const QList<QByteArray> names
        = {"default", "profile dev", "profile \"a b\"", "DEFAULT", "s", "services x", "A", " x "};
    const QList<QByteArray> keys = {"region", "Region", "k", "endpoint_url", "sagemaker", "KEY", "a b", "k2"};
    const QList<QByteArray> delimiters = {" = ", "=", ": ", ":", " =", "= ", "\t=\t"};
    const QList<QByteArray> values = {"", "", "us-east-1", "x ; y", "a=b", "http://h:1", "#v", "\xc3\xa9"};
    const QList<QByteArray> indents = {" ", "  ", "\t", "    ", "\xc2\xa0", "\x1c"};
    const QList<QByteArray> oddities = {"\x0b", "\xc2\x85", "\xe2\x80\xa8", "\x1c", "\x0c", "\xe2\x80\x83"};
    const QList<QByteArray> endings = {"\n", "\n", "\n", "\n", "\r\n", "\r"};
    QList<QByteArray> cases;
    for (int i = 0; i < 600; ++i) {
        QByteArray text = "[" + pick(names) + "]\n";
        const int lines = random.bounded(1, 12);
        for (int line = 0; line < lines; ++line) {
            switch (random.bounded(10)) {
            case 0:
                text += "[" + pick(names) + "]";
                break;
            case 1:
            case 2:
            case 3:
                text += pick(keys) + pick(delimiters) + pick(values);
                break;
            case 4:
            case 5:
                text += pick(indents) + pick(keys) + pick(delimiters) + pick(values);
                break;
            case 6:
                text += pick(indents) + pick(values) + pick(oddities) + pick(keys) + "=1";
                break;
            case 7:
                text += pick(QList<QByteArray> {"# c", "; c", "  # c", "\t;"});
                break;
            case 8:
                text += pick(QList<QByteArray> {"", "   ", "\t"});
                break;
            default:
                text += pick(oddities) + pick(keys);
                break;
            }
            text += pick(endings);
        }
        cases << text;
    }
    const QList<QByteArray> pieces = {"[", "]", "=", ":", "#", ";", " ", "  ", "\t", "\n", "\n", "\n", "\r\n", "\r",
        "a", "B", "k", "v", "profile ", "[default]\n", "[a]\n", "DEFAULT", "\n  x = 1", "\n  y", "\x0b", "\xc2\x85",
        "\xe2\x80\xa8", "\x1c", "\xc3\xa9"};
    for (int i = 0; i < 200; ++i) {
        QByteArray text = random.bounded(2) ? QByteArray("[s]\n") : QByteArray();
        const int length = random.bounded(1, 40);
        for (int j = 0; j < length; ++j)
            text += pick(pieces);
        cases << text;
    }
    QTemporaryDir dir;
    QJsonArray encoded;
    for (const QByteArray &text : std::as_const(cases))
        encoded.append(QString::fromLatin1(text.toBase64()));
    QFile input(dir.filePath(QStringLiteral("cases.json")));
    QVERIFY(input.open(QIODevice::WriteOnly));
    input.write(QJsonDocument(encoded).toJson());
    input.close();

    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PYTHONUTF8"), QStringLiteral("1"));
    process.setProcessEnvironment(environment);
    process.start(python, {QStringLiteral("-c"), QString::fromLatin1(pythonDump), input.fileName()});
    QVERIFY(process.waitForFinished(60000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    const QJsonArray expected = QJsonDocument::fromJson(process.readAllStandardOutput()).array();
    QCOMPARE(expected.size(), cases.size());
    int accepted = 0;
    for (int i = 0; i < cases.size(); ++i) {
        const QString ours = dump(ConfigFile::parse(cases[i], QStringLiteral("generated")));
        accepted += ours != QLatin1String("error");
        if (ours != expected[i].toString()) {
            qWarning() << "input" << cases[i];
            QCOMPARE(ours, expected[i].toString());
        }
    }
    qInfo("%d of %lld generated files accepted by both", accepted, qlonglong(cases.size()));
    // The comparison means little unless many of the files are accepted.
    QVERIFY2(accepted * 4 > cases.size(), qPrintable(QStringLiteral("only %1 accepted").arg(accepted)));
}

void tst_ConfigFile::splitsLikeShlex_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("words");
    QTest::addColumn<bool>("valid");

    // Expected values are Python's shlex.split().
    QTest::addRow("plain") << QStringLiteral("/opt/bin/fetch --account dev")
                           << QStringList {QStringLiteral("/opt/bin/fetch"), QStringLiteral("--account"),
                                  QStringLiteral("dev")}
                           << true;
    QTest::addRow("double quotes") << QStringLiteral("a \"b c\" d")
                                   << QStringList {QStringLiteral("a"), QStringLiteral("b c"), QStringLiteral("d")}
                                   << true;
    QTest::addRow("escapes") << QStringLiteral(R"(a 'b\c' "x\"y\z" e\ f)")
                             << QStringList {QStringLiteral("a"), QStringLiteral(R"(b\c)"), QStringLiteral(R"(x"y\z)"),
                                    QStringLiteral("e f")}
                             << true;
    QTest::addRow("empty quotes") << QStringLiteral("\"\"") << QStringList {QString()} << true;
    QTest::addRow("adjacent quotes join")
        << QStringLiteral("a''b \"c\"'d'") << QStringList {QStringLiteral("ab"), QStringLiteral("cd")} << true;
    QTest::addRow("no comments, no operators")
        << QStringLiteral("a#b c; rm -rf x | y")
        << QStringList {QStringLiteral("a#b"), QStringLiteral("c;"), QStringLiteral("rm"), QStringLiteral("-rf"),
               QStringLiteral("x"), QStringLiteral("|"), QStringLiteral("y")}
        << true;
    QTest::addRow("only spaces") << QStringLiteral("  \t ") << QStringList {} << true;
    QTest::addRow("trailing backslash") << QStringLiteral("x\\") << QStringList {} << false;
    QTest::addRow("unclosed quote") << QStringLiteral("\"unterminated") << QStringList {} << false;
    QTest::addRow("unclosed single quote") << QStringLiteral("a 'b") << QStringList {} << false;
}

void tst_ConfigFile::splitsLikeShlex()
{
    QFETCH(QString, command);
    QFETCH(QStringList, words);
    QFETCH(bool, valid);
    QStringList split;
    QString error;
    QCOMPARE(splitShellWords(command, &split, &error), valid);
    if (valid)
        QCOMPARE(split, words);
    else
        QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(tst_ConfigFile)
#include "tst_configfile.moc"
