// Replays the fuzz corpus through the fuzz target's check, in the ordinary build (no
// libFuzzer): every file under the folders (or the files) given, in name order. Exits 1
// naming each input the loader misbehaved on, and when there was no input at all.
// With -v first, prints each input's outcome (loaded, or the error it was rejected with).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "scenario_fuzz.hpp"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> inputs;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    if (i == 1 && std::string(argv[i]) == "-v") {
      verbose = true;
      continue;
    }
    const fs::path arg = argv[i];
    if (fs::is_directory(arg)) {
      for (const auto& entry : fs::recursive_directory_iterator(arg))
        if (entry.is_regular_file()) inputs.push_back(entry.path());
    } else {
      inputs.push_back(arg);
    }
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::fprintf(stderr, "corpus_replay: no inputs; usage: corpus_replay [-v] DIR|FILE...\n");
    return 1;
  }
  int failures = 0;
  for (const fs::path& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::string input((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.eof() && in.fail()) {
      std::fprintf(stderr, "corpus_replay: cannot read %s\n", path.c_str());
      ++failures;
      continue;
    }
    std::string outcome;
    const auto problem = talentsim::fuzz::check_scenario_input(input, verbose ? &outcome : nullptr);
    if (verbose) std::printf("%s: %s\n", path.c_str(), outcome.c_str());
    if (problem) {
      std::fprintf(stderr, "corpus_replay: %s: %s\n", path.c_str(), problem->c_str());
      ++failures;
    }
  }
  std::printf("corpus_replay: %zu inputs, %d failed\n", inputs.size(), failures);
  return failures == 0 ? 0 : 1;
}
