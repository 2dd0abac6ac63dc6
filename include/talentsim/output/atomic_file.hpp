// A file that is either complete or absent: written to a temporary name in the
// same folder and renamed over the final name only on commit(). Destroying an
// uncommitted AtomicFile removes the temporary file.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace talentsim {

class AtomicFile {
 public:
  /// Opens "<path>.tmp-<pid>-<n>" for writing. @throws IoError
  explicit AtomicFile(std::filesystem::path path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Appends bytes. @throws IoError on a write error (disk full, ...).
  void write(std::string_view bytes);
  /// Flushes, syncs and renames onto the final path. @throws IoError
  void commit();
  /// Removes the temporary file without committing (also done by the destructor).
  void discard() noexcept;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] const std::filesystem::path& temp_path() const { return temp_; }

 private:
  std::filesystem::path path_;
  std::filesystem::path temp_;
  std::FILE* file_ = nullptr;
};

}  // namespace talentsim
