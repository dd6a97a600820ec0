#include "app/AtomicFile.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

namespace ionhop::app {

namespace {

[[noreturn]] void throw_errno(const std::string& what, const std::filesystem::path& path) {
  throw std::filesystem::filesystem_error(what, path, std::error_code(errno, std::generic_category()));
}

/// fsync on a file or directory, so the data (or the new directory entry) survives a crash.
void sync_path(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw_errno("AtomicFile: cannot open for fsync", path);
  if (::fsync(fd) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    throw_errno("AtomicFile: fsync failed", path);
  }
  ::close(fd);
}

std::filesystem::path directory_of(const std::filesystem::path& target) {
  const std::filesystem::path parent = target.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  if (target_.filename().empty()) {
    throw std::filesystem::filesystem_error("AtomicFile: target has no file name", target_,
                                            std::make_error_code(std::errc::invalid_argument));
  }
  const std::filesystem::path directory = directory_of(target_);
  if (!std::filesystem::is_directory(directory)) {
    throw std::filesystem::filesystem_error("AtomicFile: directory does not exist", directory,
                                            std::make_error_code(std::errc::no_such_file_or_directory));
  }
  if (std::filesystem::is_directory(target_)) {
    throw std::filesystem::filesystem_error("AtomicFile: target is a directory", target_,
                                            std::make_error_code(std::errc::is_a_directory));
  }
  temp_ = target_;
  temp_ += ".tmp." + std::to_string(::getpid());
  std::error_code ignored;
  std::filesystem::remove(temp_, ignored);  // left over by an earlier object of this process
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      temp_(std::move(other.temp_)),
      committed_(other.committed_),
      active_(std::exchange(other.active_, false)) {}

AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept {
  if (this != &other) {
    discard();
    target_ = std::move(other.target_);
    temp_ = std::move(other.temp_);
    committed_ = other.committed_;
    active_ = std::exchange(other.active_, false);
  }
  return *this;
}

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::commit() {
  if (!active_) throw std::logic_error("AtomicFile::commit on a moved-from object");
  if (committed_) throw std::logic_error("AtomicFile::commit called twice for " + target_.string());
  if (!std::filesystem::is_regular_file(temp_)) {
    throw std::filesystem::filesystem_error("AtomicFile: nothing was written to the temporary file", temp_,
                                            std::make_error_code(std::errc::no_such_file_or_directory));
  }
  // Data first, then the rename, then the directory entry: after a crash either the old or the
  // complete new file is under the target name.
  sync_path(temp_, O_RDONLY);
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) throw_errno("AtomicFile: cannot rename onto target", target_);
  committed_ = true;
  sync_path(directory_of(target_), O_RDONLY | O_DIRECTORY);
}

void AtomicFile::discard() noexcept {
  if (!active_ || committed_) return;
  std::error_code ignored;
  std::filesystem::remove(temp_, ignored);
}

}  // namespace ionhop::app
