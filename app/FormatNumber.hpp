#pragma once
// One number formatted with a printf conversion ("%.4f", "%g", ...), for command output.
#include <cstdio>
#include <string>

namespace ionhop::app {

inline std::string fmt(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace ionhop::app
