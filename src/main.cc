// The kmeta binary: everything lives in the libraries; this only hands over.
#include "cli/cli.h"

int main(int argc, char** argv) { return kmeta::cli::main(argc, argv, KMETA_VERSION); }
