#pragma once

#include <string_view>

namespace talentsim {
/// The project version, e.g. "0.1.0".
std::string_view version();
}  // namespace talentsim
