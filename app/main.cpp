// Entry point of `pagewise`: the window, `pagewise --demo`, and the headless `pagewise export`.
#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream(stderr) << "pagewise: not built yet\n";
    return 2;
}
