# Script mode: turn IN into a C++ source defining talentsim::embedded::SYMBOL.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE ${OUT}
"// Generated from ${IN}; do not edit.\n#include <string_view>\n"
"namespace talentsim::embedded {\n"
"static const char k_${SYMBOL}_bytes[] = {${bytes} '\\0'};\n"
"extern const std::string_view ${SYMBOL}(k_${SYMBOL}_bytes, ${size});\n"
"}  // namespace talentsim::embedded\n")
