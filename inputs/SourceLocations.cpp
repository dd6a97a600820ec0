#include "inputs/SourceLocations.hpp"

namespace ionhop::inputs {

void SourceLocations::add(std::string key_path, InputLocation where) {
  positions_.insert_or_assign(std::move(key_path), std::move(where));
}

bool SourceLocations::contains(std::string_view key_path) const {
  return positions_.find(key_path) != positions_.end();
}

InputLocation SourceLocations::find(std::string_view key_path) const {
  std::string path(key_path);
  while (true) {
    if (auto it = positions_.find(path); it != positions_.end()) return it->second;
    if (path.empty()) return {};
    path = parent_key_path(path);
  }
}

std::string parent_key_path(std::string_view key_path) {
  if (!key_path.empty() && key_path.back() == ']') {
    const std::size_t open = key_path.rfind('[');
    if (open != std::string_view::npos) return std::string(key_path.substr(0, open));
  }
  const std::size_t dot = key_path.rfind('.');
  if (dot == std::string_view::npos) return {};
  return std::string(key_path.substr(0, dot));
}

}  // namespace ionhop::inputs
