# Warnings travel through an INTERFACE target, never through CMAKE_CXX_FLAGS.
add_library(talentsim_warnings INTERFACE)
add_library(talentsim::warnings ALIAS talentsim_warnings)
target_compile_options(talentsim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wimplicit-fallthrough
  $<$<BOOL:${TALENTSIM_WERROR}>:-Werror>)

# Tuning and checked-build switches, also as an INTERFACE target.
add_library(talentsim_tuning INTERFACE)
add_library(talentsim::tuning ALIAS talentsim_tuning)
target_compile_definitions(talentsim_tuning INTERFACE
  $<$<OR:$<CONFIG:Debug>,$<BOOL:${TALENTSIM_CHECKED}>>:TALENTSIM_CHECKED=1>)
# No fused multiply-add contraction: results must not depend on the instruction set.
target_compile_options(talentsim_tuning INTERFACE -ffp-contract=off)
if(TALENTSIM_NATIVE)
  target_compile_options(talentsim_tuning INTERFACE -march=native)
endif()
