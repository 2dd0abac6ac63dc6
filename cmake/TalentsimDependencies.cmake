# Every dependency comes from a Debian 12 package; nothing is downloaded.
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(Boost 1.74 REQUIRED)             # Boost.Random and Boost.Math are header-only here
find_package(TBB 2021 REQUIRED)
find_package(yaml-cpp 0.7 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(NLopt 2.7 REQUIRED)           # libnlopt-cxx-dev: BOBYQA for `talentsim calibrate`
find_package(Threads REQUIRED)

# Random123 (librandom123-dev) ships headers only, without a CMake package.
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
add_library(talentsim_random123 INTERFACE)
target_include_directories(talentsim_random123 SYSTEM INTERFACE ${RANDOM123_INCLUDE_DIR})
add_library(Random123::Random123 ALIAS talentsim_random123)

# yaml-cpp 0.7 exports a target without a namespace.
if(TARGET yaml-cpp AND NOT TARGET yaml-cpp::yaml-cpp)
  add_library(yaml-cpp::yaml-cpp ALIAS yaml-cpp)
endif()
