// TALENTSIM_ASSERT: an invariant check compiled in only in checked builds
// (Debug, or -DTALENTSIM_CHECKED=ON). Hot loops may use it freely.
#pragma once

#include "talentsim/core/error.hpp"

namespace talentsim::detail {
[[noreturn]] void assertion_failed(const char* expr, const char* file, int line, const char* msg);
}  // namespace talentsim::detail

#if defined(TALENTSIM_CHECKED) && TALENTSIM_CHECKED
#define TALENTSIM_ASSERT(cond, msg)                                                     \
  do {                                                                                  \
    if (!(cond)) ::talentsim::detail::assertion_failed(#cond, __FILE__, __LINE__, msg); \
  } while (false)
#else
#define TALENTSIM_ASSERT(cond, msg) \
  do {                              \
  } while (false)
#endif
