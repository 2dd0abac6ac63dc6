#include "talentsim/output/atomic_file.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "talentsim/core/error.hpp"

namespace talentsim {
namespace {
std::atomic<unsigned> g_counter{0};

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& p) {
  throw IoError(what + " " + p.string() + ": " + std::strerror(errno));
}
}  // namespace

AtomicFile::AtomicFile(std::filesystem::path path) : path_(std::move(path)) {
  temp_ = path_;
  temp_ += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(g_counter++);
  file_ = std::fopen(temp_.c_str(), "wb");
  if (file_ == nullptr) fail("cannot create", temp_);
  static constexpr std::size_t kBuffer = 1 << 20;
  std::setvbuf(file_, nullptr, _IOFBF, kBuffer);
}

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::write(std::string_view bytes) {
  if (file_ == nullptr) throw IoError("write after commit to " + path_.string());
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    fail("cannot write", temp_);
}

void AtomicFile::commit() {
  if (file_ == nullptr) throw IoError("commit twice to " + path_.string());
  if (std::fflush(file_) != 0) fail("cannot write", temp_);
  if (::fsync(::fileno(file_)) != 0) fail("cannot sync", temp_);
  if (std::fclose(file_) != 0) {
    file_ = nullptr;
    fail("cannot close", temp_);
  }
  file_ = nullptr;
  std::error_code ec;
  std::filesystem::rename(temp_, path_, ec);
  if (ec) {
    std::filesystem::remove(temp_, ec);
    throw IoError("cannot rename onto " + path_.string());
  }
  temp_.clear();
}

void AtomicFile::discard() noexcept {
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
  if (!temp_.empty()) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
    temp_.clear();
  }
}

}  // namespace talentsim
