#include <iostream>

#include "talentsim/core/version.hpp"

int main() {
  std::cout << "talentsim " << talentsim::version() << "\n";
  return 0;
}
