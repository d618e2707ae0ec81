#include "cli/commands.h"

int main(int argc, char** argv) {
  return kct::cli::run(argc, argv);
}
