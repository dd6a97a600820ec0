// The ionhop executable: all logic lives in app/Cli.cpp so tests can drive it in-process.
#include <iostream>
#include <string>
#include <vector>

#include "app/Cli.hpp"

int main(int argc, char** argv) {
  return ionhop::app::run_cli(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
